/**
 * PrivateLink at run time, assembled once by app.ts: the endpoint listeners (data path), the
 * VPC resolvers and their DNS server, and the network map served at `GET /_batchlink/network`
 * (each VPC's resolver address, each endpoint interface's listening address).
 */
import type { DocumentRepository, UnitOfWork } from '../core/repository.js';
import { resolveInVpc } from '../network/dns-resolver.js';
import type { Resolution, ResolvableEndpoint } from '../network/dns-resolver.js';
import { VpcResolvers } from '../network/vpc-resolvers.js';
import type { ResolverAssignment, VpcResolver } from '../network/vpc-resolvers.js';
import type { VpcEndpoints } from '../network/vpc-endpoints.js';
import { DnsServer } from './dns-server.js';
import { EndpointListeners } from './endpoint-listeners.js';
import type { Logger } from './logger.js';
import type { Pipeline } from './pipeline.js';
import type { Transport } from './transport.js';
import type { Handler } from '../services/types.js';

export interface PrivateLinkOptions {
  endpoints: VpcEndpoints;
  resolverAssignments: DocumentRepository<ResolverAssignment>;
  uow: UnitOfWork;
  pipeline: Pipeline;
  /** Where the endpoint interfaces' listening sockets live. */
  transport: Transport;
  /** The gateway's host and port (endpoint listeners use the same port). */
  gatewayHost: string;
  port: number;
  dnsPort: number;
  /** Signing names the gateway serves (public names of these resolve to the gateway). */
  servedServices: string[];
  logger: Logger;
  /** Changes whenever an endpoint or endpoint interface is written (see EndpointListenersDeps). */
  endpointsRevision?: () => number;
}

export interface NetworkMap {
  gateway: string;
  dnsPort: number;
  vpcs: Array<{ accountId: string; region: string; vpcId: string; resolver: string; listening: boolean }>;
  interfaces: Array<{
    vpcEndpointId: string;
    serviceName: string;
    state: string;
    privateDnsEnabled: boolean;
    accountId: string;
    region: string;
    vpcId: string;
    subnetId: string;
    availabilityZone: string;
    networkInterfaceId: string;
    privateIpAddress: string;
    listen: string;
    listening: boolean;
  }>;
}

export class PrivateLink {
  readonly listeners: EndpointListeners;
  readonly dns: DnsServer;
  private readonly resolvers: VpcResolvers;
  private current: VpcResolver[] = [];
  private readonly gatewayAddress: string;
  private readonly served: ReadonlySet<string>;

  private constructor(private readonly options: PrivateLinkOptions) {
    this.gatewayAddress = options.gatewayHost === '0.0.0.0' || options.gatewayHost === '::' ? '127.0.0.1' : options.gatewayHost;
    this.served = new Set(options.servedServices);
    this.resolvers = new VpcResolvers(options.resolverAssignments, options.endpoints.network, options.uow);
    this.dns = new DnsServer({ port: options.dnsPort, answer: (address, name) => this.answer(address, name), logger: options.logger });
    this.listeners = new EndpointListeners({
      endpoints: options.endpoints,
      pipeline: options.pipeline,
      transport: options.transport,
      port: options.port,
      logger: options.logger,
      ...(options.endpointsRevision ? { revision: options.endpointsRevision } : {}),
      afterReconcile: () => this.refreshResolvers(),
    });
  }

  static async start(options: PrivateLinkOptions): Promise<PrivateLink> {
    const privateLink = new PrivateLink(options);
    await privateLink.refreshResolvers();
    await privateLink.listeners.start();
    return privateLink;
  }

  /** Gives new VPCs a resolver address (and listens on it); drops those of deleted VPCs. */
  async refreshResolvers(): Promise<void> {
    this.current = this.resolvers.sync();
    await this.dns.sync(this.current.map((resolver) => resolver.address));
  }

  /** Resolves `name` as the resolver at `address` would (for the DNS server and for tests). */
  answer(address: string, name: string): Resolution {
    const resolver = this.current.find((candidate) => candidate.address === address);
    if (!resolver) return { rcode: 'REFUSED' };
    const { endpoints } = this.options;
    const vpc = endpoints.network.vpc(resolver.scope, resolver.vpcId);
    if (!vpc) return { rcode: 'REFUSED' };
    const all: ResolvableEndpoint[] = endpoints.listAll().map(({ scope, doc }) => ({
      region: scope.region,
      endpoint: doc,
      service: endpoints.serviceOf(scope, doc),
      interfaces: endpoints.interfacesOf(scope, doc),
    }));
    return resolveInVpc(name, {
      vpcId: vpc.vpcId,
      region: resolver.scope.region,
      enableDnsSupport: vpc.enableDnsSupport,
      endpoints: all,
      gatewayAddress: this.gatewayAddress,
      servedServices: this.served,
    });
  }

  /** The map as it stands (sync, for the admin route); resolvers of new VPCs start listening in the background. */
  networkMap(): NetworkMap {
    this.current = this.resolvers.sync();
    void this.dns.sync(this.current.map((resolver) => resolver.address));
    const listening = new Set(this.dns.addresses());
    const open = new Set(this.listeners.listeners().map((listener) => listener.networkInterfaceId));
    const { endpoints } = this.options;
    return {
      gateway: `${this.gatewayAddress}:${this.options.port}`,
      dnsPort: this.dns.port,
      vpcs: this.current.map((resolver) => ({
        accountId: resolver.scope.accountId,
        region: resolver.scope.region,
        vpcId: resolver.vpcId,
        resolver: `${resolver.address}:${this.dns.port}`,
        listening: listening.has(resolver.address),
      })),
      interfaces: endpoints.listAll().flatMap(({ scope, doc }) =>
        endpoints.interfacesOf(scope, doc).map((eni) => ({
          vpcEndpointId: doc.vpcEndpointId,
          serviceName: doc.serviceName,
          state: doc.state,
          privateDnsEnabled: doc.privateDnsEnabled,
          accountId: scope.accountId,
          region: scope.region,
          vpcId: doc.vpcId,
          subnetId: eni.subnetId,
          availabilityZone: eni.availabilityZone,
          networkInterfaceId: eni.networkInterfaceId,
          privateIpAddress: eni.privateIpAddress,
          listen: `${eni.listenAddress}:${this.options.port}`,
          listening: open.has(eni.networkInterfaceId),
        })),
      ),
    };
  }

  async close(): Promise<void> {
    await this.listeners.close();
    await this.dns.close();
  }
}

/** After these EC2 operations succeed, the VPC resolvers are refreshed (new VPCs get a resolver at once). */
const VPC_CHANGING_OPERATIONS = ['CreateVpc', 'CreateDefaultVpc', 'DeleteVpc'];

export function refreshResolversAfterVpcChanges(operations: Record<string, Handler>, refresh: () => Promise<void>): void {
  for (const name of VPC_CHANGING_OPERATIONS) {
    const handler = operations[name];
    if (!handler) continue;
    operations[name] = async (input, ctx) => {
      const output: unknown = await handler(input, ctx);
      await refresh();
      return output;
    };
  }
}
