/**
 * The data path of interface endpoints: each endpoint network interface is a real listening
 * address on this machine (its loopback `listenAddress`, on the gateway's port) serving the same
 * pipeline with the endpoint in the request context. A connection is accepted only when the
 * interface's security groups allow inbound TCP 443 from the caller; otherwise it is destroyed
 * (AWS: the client times out) and the reason is logged. Listeners follow the store: opened when
 * an endpoint becomes available, closed on deletion or when its subnets change, reopened at start.
 */
import type { EndpointContext, Scope } from '../core/context.js';
import { admitLocalCaller } from '../network/endpoint-admission.js';
import type { EndpointNetworkInterface, VpcEndpoint } from '../network/endpoint-model.js';
import type { VpcEndpoints } from '../network/vpc-endpoints.js';
import type { Logger } from './logger.js';
import type { Pipeline } from './pipeline.js';
import type { ListenerHandle, Transport } from './transport.js';

export interface EndpointListenersDeps {
  endpoints: VpcEndpoints;
  pipeline: Pipeline;
  /** Where the listening sockets live (the HTTP front thread, or the pipeline's own thread). */
  transport: Transport;
  port: number;
  logger: Logger;
  /** Called after every reconciliation (the DNS server refreshes its resolvers). */
  afterReconcile?: () => Promise<void> | void;
  /**
   * Changes whenever an endpoint or endpoint interface is written: each interface's request
   * context is kept until then, instead of being read from the store for every request.
   */
  revision?: () => number;
}

interface OpenListener {
  scope: Scope;
  eni: EndpointNetworkInterface;
  listener: ListenerHandle;
}

export interface ListenerInfo {
  vpcEndpointId: string;
  networkInterfaceId: string;
  vpcId: string;
  subnetId: string;
  availabilityZone: string;
  privateIpAddress: string;
  listenAddress: string;
  port: number;
  accountId: string;
  region: string;
}

export class EndpointListeners {
  private readonly open = new Map<string, OpenListener>();
  private dirty = false;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly deps: EndpointListenersDeps) {}

  /** Reconciles now and whenever the endpoints change. */
  async start(): Promise<void> {
    this.deps.endpoints.onChange = () => void this.schedule();
    await this.schedule();
  }

  /** Queues a reconciliation (coalesced); resolves when the listeners match the store. */
  schedule(): Promise<void> {
    this.dirty = true;
    this.running ??= this.loop();
    return this.running;
  }

  listeners(): ListenerInfo[] {
    return [...this.open.values()].map(({ scope, eni }) => ({
      vpcEndpointId: eni.vpcEndpointId,
      networkInterfaceId: eni.networkInterfaceId,
      vpcId: eni.vpcId,
      subnetId: eni.subnetId,
      availabilityZone: eni.availabilityZone,
      privateIpAddress: eni.privateIpAddress,
      listenAddress: eni.listenAddress,
      port: this.deps.port,
      accountId: scope.accountId,
      region: scope.region,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.deps.endpoints.onChange = () => {};
    await this.running;
    await Promise.all([...this.open.keys()].map((id) => this.closeOne(id)));
  }

  private async loop(): Promise<void> {
    try {
      while (this.dirty && !this.closed) {
        this.dirty = false;
        try {
          await this.reconcile();
        } catch (error) {
          this.deps.logger.error('endpoint listeners: reconciliation failed', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
        await this.deps.afterReconcile?.();
      }
    } finally {
      this.running = undefined;
    }
  }

  private async reconcile(): Promise<void> {
    const { endpoints } = this.deps;
    const all = endpoints.listAll();
    const wanted = new Map<string, { scope: Scope; endpoint: VpcEndpoint; eni: EndpointNetworkInterface }>();
    for (const { scope, doc: endpoint } of all) {
      if (endpoint.vpcEndpointType !== 'Interface' || (endpoint.state !== 'pending' && endpoint.state !== 'available')) continue;
      for (const eni of endpoints.interfacesOf(scope, endpoint)) wanted.set(eni.networkInterfaceId, { scope, endpoint, eni });
    }
    for (const [id, listener] of this.open) {
      const want = wanted.get(id);
      if (!want || want.eni.listenAddress !== listener.eni.listenAddress) await this.closeOne(id);
    }
    const failed = new Set<string>();
    for (const [id, want] of wanted) {
      if (this.open.has(id)) continue;
      try {
        await this.openOne(want.scope, want.eni);
      } catch (error) {
        failed.add(want.endpoint.vpcEndpointId);
        this.deps.logger.error('endpoint listeners: cannot listen for an endpoint network interface', {
          vpcEndpointId: want.endpoint.vpcEndpointId,
          networkInterfaceId: id,
          address: `${want.eni.listenAddress}:${this.deps.port}`,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    for (const { scope, doc: endpoint } of all) {
      if (endpoint.state === 'pending' && !failed.has(endpoint.vpcEndpointId)) {
        endpoints.markAvailable(scope, endpoint.vpcEndpointId);
        this.deps.logger.info('vpc endpoint available', { vpcEndpointId: endpoint.vpcEndpointId, serviceName: endpoint.serviceName });
      }
      if (endpoint.state === 'deleting') {
        endpoints.finishDeletion(scope, endpoint.vpcEndpointId);
        this.deps.logger.info('vpc endpoint deleted', { vpcEndpointId: endpoint.vpcEndpointId });
      }
    }
  }

  private async openOne(scope: Scope, eni: EndpointNetworkInterface): Promise<void> {
    const listener = await this.deps.transport.listen({
      host: eni.listenAddress,
      port: this.deps.port,
      handler: async (request, remoteAddress) => {
        const context = this.contextOf(scope, eni.networkInterfaceId);
        if (!context) {
          return {
            status: 503,
            headers: { 'content-type': 'application/json', connection: 'close' },
            body: '{"message":"This VPC endpoint network interface is gone."}',
          };
        }
        return this.deps.pipeline.handle(request, { kind: 'endpoint', sourceIp: remoteAddress, endpoint: context });
      },
      admit: (remoteAddress) => this.admit(scope, eni.networkInterfaceId, remoteAddress),
    });
    this.open.set(eni.networkInterfaceId, { scope, eni, listener });
    this.deps.logger.info('endpoint network interface listening', {
      vpcEndpointId: eni.vpcEndpointId,
      networkInterfaceId: eni.networkInterfaceId,
      address: `${eni.listenAddress}:${this.deps.port}`,
    });
  }

  private async closeOne(id: string): Promise<void> {
    const listener = this.open.get(id);
    if (!listener) return;
    this.open.delete(id);
    this.contexts.delete(id);
    await listener.listener.close(true);
  }

  /** The security-group check, on port 443 whatever port the listener uses. */
  private admit(scope: Scope, networkInterfaceId: string, remoteAddress: string): boolean {
    const { endpoints, logger } = this.deps;
    const network = endpoints.network;
    const eni = endpoints.getInterface(scope, networkInterfaceId);
    const subnet = eni ? network.subnet(scope, eni.subnetId) : undefined;
    if (!eni || !subnet) return false;
    const groups = eni.groupIds.flatMap((id) => network.securityGroup(scope, id) ?? []);
    const admission = admitLocalCaller(groups, subnet, (id) => network.securityGroup(scope, id)?.vpcId === eni.vpcId);
    if (!admission.allowed) {
      logger.warn('endpoint connection refused by security groups', {
        vpcEndpointId: eni.vpcEndpointId,
        networkInterfaceId,
        remoteAddress,
        reason: admission.reason,
      });
      return false;
    }
    return true;
  }

  private readonly contexts = new Map<string, { revision: number; context: EndpointContext | undefined }>();

  private contextOf(scope: Scope, networkInterfaceId: string): EndpointContext | undefined {
    const revision = this.deps.revision?.();
    if (revision === undefined) return this.readContext(scope, networkInterfaceId);
    const cached = this.contexts.get(networkInterfaceId);
    if (cached && cached.revision === revision) return cached.context;
    const context = this.readContext(scope, networkInterfaceId);
    this.contexts.set(networkInterfaceId, { revision, context });
    return context;
  }

  private readContext(scope: Scope, networkInterfaceId: string): EndpointContext | undefined {
    const eni = this.deps.endpoints.getInterface(scope, networkInterfaceId);
    const endpoint = eni ? this.deps.endpoints.get(scope, eni.vpcEndpointId) : undefined;
    if (!eni || !endpoint || !endpoint.networkInterfaceIds.includes(networkInterfaceId)) return undefined;
    return {
      state: endpoint.state,
      ...(endpoint.policyDocument !== undefined ? { policyDocument: endpoint.policyDocument } : {}),
      vpcEndpointId: endpoint.vpcEndpointId,
      vpcId: endpoint.vpcId,
      subnetId: eni.subnetId,
      networkInterfaceId: eni.networkInterfaceId,
      serviceName: endpoint.serviceName,
      ownerAccountId: endpoint.ownerId,
      region: scope.region,
    };
  }
}
