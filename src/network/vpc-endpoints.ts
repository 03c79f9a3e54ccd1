/**
 * VPC endpoints: create, modify, delete, and the lifecycle the data plane drives
 * (pending -> available when its listeners are open; deleting -> gone when they are closed).
 * An Interface endpoint gets one requester-managed network interface per subnet, with a private
 * IP from the subnet and a loopback listening address. `onChange` tells the data plane to act.
 */
import type { Scope } from '../core/context.js';
import type { Clock } from '../core/clock.js';
import { ApiError } from '../core/errors.js';
import type { IdSource } from '../core/ids.js';
import { ec2Id } from '../core/ids.js';
import type { DocumentRepository, UnitOfWork } from '../core/repository.js';
import { zoneId } from '../core/regions.js';
import { formatIp, parseCidr, usableAddresses } from './cidr.js';
import {
  checkPrivateDns,
  checkRouteTables,
  checkSecurityGroups,
  checkSubnets,
  checkIdFormat,
  endpointNotFound,
  requireVpc,
  serviceNotFound,
} from './endpoint-checks.js';
import { INTERFACE_LOOPBACK_OCTET, lowestFreeLoopback } from './endpoint-dns-names.js';
import { DEFAULT_ENDPOINT_POLICY } from './endpoint-model.js';
import type { EndpointNetworkInterface, NetworkLookup, SubnetView, Tag, VpcEndpoint } from './endpoint-model.js';
import type { EndpointPolicyCheck } from './endpoint-policy.js';
import { checkEndpointPolicy } from './endpoint-policy.js';
import { findEndpointService } from './endpoint-services.js';
import type { EndpointService, EndpointServiceType } from './endpoint-services.js';

export interface VpcEndpointsDeps {
  endpoints: DocumentRepository<VpcEndpoint>;
  interfaces: DocumentRepository<EndpointNetworkInterface>;
  network: NetworkLookup;
  uow: UnitOfWork;
  clock: Clock;
  ids: IdSource;
  /** Validates a custom endpoint policy (throws InvalidPolicyDocument). */
  checkPolicy?: EndpointPolicyCheck;
}

export interface CreateVpcEndpointRequest {
  vpcEndpointType?: EndpointServiceType;
  vpcId: string;
  serviceName: string;
  policyDocument?: string;
  routeTableIds?: string[];
  subnetIds?: string[];
  securityGroupIds?: string[];
  privateDnsEnabled?: boolean;
  tags?: Tag[];
  clientToken?: string;
}

export interface ModifyVpcEndpointRequest {
  vpcEndpointId: string;
  resetPolicy?: boolean;
  policyDocument?: string;
  addRouteTableIds?: string[];
  removeRouteTableIds?: string[];
  addSubnetIds?: string[];
  removeSubnetIds?: string[];
  addSecurityGroupIds?: string[];
  removeSecurityGroupIds?: string[];
  privateDnsEnabled?: boolean;
}

export interface UnsuccessfulItem {
  resourceId: string;
  code: string;
  message: string;
}

/** How long a deleted endpoint stays visible to DescribeVpcEndpoints. */
export const DELETED_VISIBLE_MS = 60 * 60 * 1000;

const DNS_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class VpcEndpoints {
  /** Called after every change the data plane must act on (open, close, finish). */
  onChange: () => void = () => {};

  constructor(private readonly deps: VpcEndpointsDeps) {}

  get network(): NetworkLookup {
    return this.deps.network;
  }

  serviceOf(scope: Scope, endpoint: VpcEndpoint): EndpointService | undefined {
    return findEndpointService(scope.region, endpoint.serviceName, endpoint.vpcEndpointType);
  }

  get(scope: Scope, vpcEndpointId: string): VpcEndpoint | undefined {
    return this.deps.endpoints.get(scope, vpcEndpointId);
  }

  list(scope: Scope): VpcEndpoint[] {
    return this.deps.endpoints.list(scope);
  }

  listAll(): Array<{ scope: Scope; doc: VpcEndpoint }> {
    return this.deps.endpoints.listAll();
  }

  interfacesOf(scope: Scope, endpoint: VpcEndpoint): EndpointNetworkInterface[] {
    return endpoint.networkInterfaceIds.flatMap((id) => this.deps.interfaces.get(scope, id) ?? []);
  }

  getInterface(scope: Scope, networkInterfaceId: string): EndpointNetworkInterface | undefined {
    return this.deps.interfaces.get(scope, networkInterfaceId);
  }

  /** The endpoint's policy text (the default full-access policy when none was set). */
  policyOf(scope: Scope, vpcEndpointId: string): string | undefined {
    const endpoint = this.deps.endpoints.get(scope, vpcEndpointId);
    return endpoint ? (endpoint.policyDocument ?? DEFAULT_ENDPOINT_POLICY) : undefined;
  }

  allInterfaces(scope: Scope): EndpointNetworkInterface[] {
    return this.deps.interfaces.list(scope);
  }

  create(scope: Scope, request: CreateVpcEndpointRequest): VpcEndpoint {
    const { network } = this.deps;
    if (request.clientToken) {
      const earlier = this.deps.endpoints.list(scope).find((endpoint) => endpoint.clientToken === request.clientToken);
      if (earlier) return earlier;
    }
    const vpc = requireVpc(network, scope, request.vpcId);
    const service = findEndpointService(scope.region, request.serviceName, request.vpcEndpointType);
    if (!service) throw serviceNotFound(request.serviceName);
    const type = service.serviceType;
    const subnetIds = request.subnetIds ?? [];
    const groupIds = request.securityGroupIds ?? [];
    const routeTableIds = request.routeTableIds ?? [];
    if (type !== 'Interface' && subnetIds.length > 0) {
      throw new ApiError('InvalidParameter', 'Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.');
    }
    if (type !== 'Interface' && groupIds.length > 0) {
      throw new ApiError('InvalidParameter', 'Security group IDs are only supported for Interface type VPC Endpoints.');
    }
    if (type === 'Interface' && routeTableIds.length > 0) {
      throw new ApiError('InvalidParameter', 'Route table IDs are only supported for Gateway type VPC Endpoints.');
    }
    if (type !== 'Interface' && request.privateDnsEnabled === true) {
      throw new ApiError('InvalidParameter', 'Private DNS can only be enabled for Interface type VPC Endpoints.');
    }
    const subnets = type === 'Interface' ? checkSubnets(network, scope, vpc.vpcId, service, subnetIds) : [];
    let groups = type === 'Interface' ? checkSecurityGroups(network, scope, vpc.vpcId, groupIds) : [];
    if (type === 'Interface' && groups.length === 0) {
      const fallback = network.defaultSecurityGroup(scope, vpc.vpcId);
      groups = fallback ? [fallback] : [];
    }
    checkRouteTables(network, scope, vpc.vpcId, routeTableIds);
    if (request.policyDocument !== undefined) this.checkPolicy(request.policyDocument);
    // The API's default for Interface endpoints is private DNS on (the console and CloudFormation differ).
    const privateDnsEnabled = type === 'Interface' && service.privateDnsName !== undefined && (request.privateDnsEnabled ?? true);
    if (privateDnsEnabled) checkPrivateDns(vpc, service, this.deps.endpoints, scope);

    const endpoint: VpcEndpoint = {
      vpcEndpointId: ec2Id(this.deps.ids, 'vpce'),
      vpcEndpointType: type,
      vpcId: vpc.vpcId,
      serviceName: service.serviceName,
      state: type === 'Interface' ? 'pending' : 'available',
      routeTableIds: [...new Set(routeTableIds)],
      subnetIds: subnets.map((subnet) => subnet.subnetId),
      groupIds: groups.map((group) => group.groupId),
      privateDnsEnabled,
      networkInterfaceIds: [],
      dnsId: this.dnsId(),
      creationTimestamp: this.deps.clock.now(),
      tags: request.tags ?? [],
      ownerId: scope.accountId,
    };
    if (request.policyDocument !== undefined) endpoint.policyDocument = request.policyDocument;
    if (request.clientToken) endpoint.clientToken = request.clientToken;
    this.deps.uow.transaction(() => {
      for (const subnet of subnets) endpoint.networkInterfaceIds.push(this.addInterface(scope, endpoint, subnet).networkInterfaceId);
      this.deps.endpoints.insert(scope, endpoint.vpcEndpointId, endpoint);
    });
    this.onChange();
    return endpoint;
  }

  modify(scope: Scope, request: ModifyVpcEndpointRequest): void {
    const { network } = this.deps;
    checkIdFormat('vpce', request.vpcEndpointId);
    const endpoint = this.deps.endpoints.get(scope, request.vpcEndpointId);
    if (!endpoint || endpoint.state === 'deleted') throw endpointNotFound(request.vpcEndpointId);
    if (endpoint.state === 'deleting') {
      throw new ApiError('IncorrectState', `The Vpc Endpoint '${endpoint.vpcEndpointId}' is in the state deleting and cannot be modified.`);
    }
    const service = this.serviceOf(scope, endpoint);
    if (!service) throw serviceNotFound(endpoint.serviceName);
    const vpc = requireVpc(network, scope, endpoint.vpcId);
    const interfaceOnly = (what: string, given: unknown[] | undefined) => {
      if (endpoint.vpcEndpointType !== 'Interface' && given && given.length > 0) {
        throw new ApiError('InvalidParameter', `${what} are only supported for Interface type VPC Endpoints.`);
      }
    };
    interfaceOnly('Subnet IDs', [...(request.addSubnetIds ?? []), ...(request.removeSubnetIds ?? [])]);
    interfaceOnly('Security group IDs', [...(request.addSecurityGroupIds ?? []), ...(request.removeSecurityGroupIds ?? [])]);
    if (endpoint.vpcEndpointType === 'Interface' && (request.addRouteTableIds?.length || request.removeRouteTableIds?.length)) {
      throw new ApiError('InvalidParameter', 'Route table IDs are only supported for Gateway type VPC Endpoints.');
    }
    if (request.resetPolicy && request.policyDocument !== undefined) {
      throw new ApiError('InvalidParameterCombination', 'PolicyDocument and ResetPolicy cannot be specified together.');
    }
    if (request.policyDocument !== undefined) this.checkPolicy(request.policyDocument);

    const removeSubnets = new Set(request.removeSubnetIds ?? []);
    for (const id of removeSubnets) checkIdFormat('subnet', id);
    const kept = endpoint.subnetIds.filter((id) => !removeSubnets.has(id)).flatMap((id) => network.subnet(scope, id) ?? []);
    const added = checkSubnets(network, scope, vpc.vpcId, service, request.addSubnetIds ?? [], kept);
    const addGroups = checkSecurityGroups(network, scope, vpc.vpcId, request.addSecurityGroupIds ?? []).map((group) => group.groupId);
    const removeGroups = new Set(request.removeSecurityGroupIds ?? []);
    const groupIds = [
      ...endpoint.groupIds.filter((id) => !removeGroups.has(id)),
      ...addGroups.filter((id) => !endpoint.groupIds.includes(id)),
    ];
    if (endpoint.vpcEndpointType === 'Interface' && groupIds.length === 0) {
      throw new ApiError('InvalidParameter', 'A VPC endpoint of type Interface must have at least one security group.');
    }
    checkRouteTables(network, scope, vpc.vpcId, request.addRouteTableIds ?? []);
    if (request.privateDnsEnabled === true && endpoint.vpcEndpointType !== 'Interface') {
      throw new ApiError('InvalidParameter', 'Private DNS can only be enabled for Interface type VPC Endpoints.');
    }
    if (request.privateDnsEnabled === true && !endpoint.privateDnsEnabled)
      checkPrivateDns(vpc, service, this.deps.endpoints, scope, endpoint.vpcEndpointId);

    this.deps.uow.transaction(() => {
      const next: VpcEndpoint = { ...endpoint, groupIds };
      if (request.resetPolicy) delete next.policyDocument;
      if (request.policyDocument !== undefined) next.policyDocument = request.policyDocument;
      if (request.privateDnsEnabled !== undefined && endpoint.vpcEndpointType === 'Interface' && service.privateDnsName) {
        next.privateDnsEnabled = request.privateDnsEnabled;
      }
      const removeRoutes = new Set(request.removeRouteTableIds ?? []);
      next.routeTableIds = [
        ...new Set([...endpoint.routeTableIds.filter((id) => !removeRoutes.has(id)), ...(request.addRouteTableIds ?? [])]),
      ];
      // Subnets: interfaces of removed subnets go away, new subnets get new interfaces.
      const interfaces = this.interfacesOf(scope, endpoint);
      for (const eni of interfaces) {
        if (!removeSubnets.has(eni.subnetId)) continue;
        this.deps.interfaces.delete(scope, eni.networkInterfaceId);
        this.deps.network.releasePrivateIp?.(scope, eni.subnetId, eni.privateIpAddress);
      }
      next.subnetIds = [...kept.map((subnet) => subnet.subnetId), ...added.map((subnet) => subnet.subnetId)];
      next.networkInterfaceIds = interfaces.filter((eni) => !removeSubnets.has(eni.subnetId)).map((eni) => eni.networkInterfaceId);
      for (const subnet of added) next.networkInterfaceIds.push(this.addInterface(scope, next, subnet).networkInterfaceId);
      for (const eni of interfaces) {
        if (!removeSubnets.has(eni.subnetId)) this.deps.interfaces.put(scope, eni.networkInterfaceId, { ...eni, groupIds });
      }
      if (added.length > 0 || removeSubnets.size > 0) next.state = 'pending';
      this.deps.endpoints.put(scope, next.vpcEndpointId, next);
    });
    this.onChange();
  }

  /** Marks each endpoint deleting; ids that do not exist come back as unsuccessful items. */
  delete(scope: Scope, ids: string[]): UnsuccessfulItem[] {
    const unsuccessful: UnsuccessfulItem[] = [];
    this.deps.uow.transaction(() => {
      for (const id of ids) {
        const endpoint = this.deps.endpoints.get(scope, id);
        if (!endpoint || endpoint.state === 'deleted') {
          const error = /^vpce-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)
            ? endpointNotFound(id)
            : new ApiError('InvalidVpcEndpointId.Malformed', `Invalid Vpc Endpoint Id: '${id}'`);
          unsuccessful.push({ resourceId: id, code: error.code, message: error.message });
          continue;
        }
        if (endpoint.state === 'deleting') continue;
        // Gateway endpoints have no listeners to close: they are deleted at once.
        if (endpoint.vpcEndpointType === 'Interface') this.deps.endpoints.put(scope, id, { ...endpoint, state: 'deleting' });
        else this.markDeleted(scope, endpoint);
      }
    });
    this.onChange();
    return unsuccessful;
  }

  /** The data plane opened every interface's listener: pending -> available. */
  markAvailable(scope: Scope, vpcEndpointId: string): void {
    this.deps.uow.transaction(() => {
      const endpoint = this.deps.endpoints.get(scope, vpcEndpointId);
      if (endpoint?.state === 'pending') this.deps.endpoints.put(scope, vpcEndpointId, { ...endpoint, state: 'available' });
    });
  }

  /** The data plane closed the listeners of a deleting endpoint: it and its interfaces are gone. */
  finishDeletion(scope: Scope, vpcEndpointId: string): void {
    this.deps.uow.transaction(() => {
      const endpoint = this.deps.endpoints.get(scope, vpcEndpointId);
      if (endpoint?.state !== 'deleting') return;
      for (const eni of this.interfacesOf(scope, endpoint)) {
        this.deps.interfaces.delete(scope, eni.networkInterfaceId);
        this.deps.network.releasePrivateIp?.(scope, eni.subnetId, eni.privateIpAddress);
      }
      this.markDeleted(scope, endpoint);
    });
  }

  /** Endpoints a Describe shows: all but those deleted more than an hour ago (which are purged). */
  listVisible(scope: Scope): VpcEndpoint[] {
    const now = this.deps.clock.now();
    const endpoints = this.deps.endpoints.list(scope);
    const expired = endpoints.filter((endpoint) => endpoint.state === 'deleted' && now - (endpoint.deletedAt ?? 0) >= DELETED_VISIBLE_MS);
    if (expired.length > 0) {
      this.deps.uow.transaction(() => {
        for (const endpoint of expired) this.deps.endpoints.delete(scope, endpoint.vpcEndpointId);
      });
    }
    return endpoints.filter((endpoint) => !expired.includes(endpoint));
  }

  private markDeleted(scope: Scope, endpoint: VpcEndpoint): void {
    this.deps.endpoints.put(scope, endpoint.vpcEndpointId, {
      ...endpoint,
      state: 'deleted',
      deletedAt: this.deps.clock.now(),
      networkInterfaceIds: [],
      subnetIds: [],
      groupIds: [],
      routeTableIds: [],
    });
  }

  private checkPolicy(text: string): void {
    (this.deps.checkPolicy ?? checkEndpointPolicy)(text);
  }

  private dnsId(): string {
    const hex = this.deps.ids.hex(16);
    let out = '';
    for (let i = 0; i < 8; i++) out += DNS_ID_ALPHABET[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % DNS_ID_ALPHABET.length];
    return out;
  }

  private addInterface(scope: Scope, endpoint: VpcEndpoint, subnet: SubnetView): EndpointNetworkInterface {
    const networkInterfaceId = ec2Id(this.deps.ids, 'eni');
    const eni: EndpointNetworkInterface = {
      networkInterfaceId,
      vpcEndpointId: endpoint.vpcEndpointId,
      subnetId: subnet.subnetId,
      vpcId: endpoint.vpcId,
      availabilityZone: subnet.availabilityZone,
      availabilityZoneId: zoneId(subnet.availabilityZone),
      privateIpAddress: this.privateIp(scope, subnet, networkInterfaceId),
      macAddress: `02:${this.deps.ids.hex(10).match(/../g)?.join(':') ?? '00:00:00:00:00'}`,
      groupIds: endpoint.groupIds,
      ownerId: scope.accountId,
      tags: [],
      listenAddress: lowestFreeLoopback(
        INTERFACE_LOOPBACK_OCTET,
        this.deps.interfaces.listAll().map((entry) => entry.doc.listenAddress),
      ),
    };
    this.deps.interfaces.insert(scope, networkInterfaceId, eni);
    return eni;
  }

  private privateIp(scope: Scope, subnet: SubnetView, holder: string): string {
    const allocated = this.deps.network.allocatePrivateIp?.(scope, subnet.subnetId, holder);
    if (allocated) return allocated;
    const cidr = parseCidr(subnet.cidrBlock);
    const used = new Set(
      this.deps.interfaces
        .list(scope)
        .filter((eni) => eni.subnetId === subnet.subnetId)
        .map((eni) => eni.privateIpAddress),
    );
    if (cidr) {
      for (const ip of usableAddresses(cidr)) {
        const text = formatIp(ip);
        if (!used.has(text)) return text;
      }
    }
    throw new ApiError(
      'InsufficientFreeAddressesInSubnet',
      `There are not enough free addresses in subnet '${subnet.subnetId}' to satisfy the requested number of instances.`,
    );
  }
}
