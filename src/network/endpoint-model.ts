/**
 * The VPC endpoint aggregate and its requester-managed network interfaces, as stored, plus the
 * read-only view of VPCs, subnets and security groups the endpoint rules need (a port the
 * network domain implements). Names and states are AWS's (`pending`, `available`, `deleting`).
 */
import type { Scope } from '../core/context.js';
import type { EndpointServiceType } from './endpoint-services.js';
import type { Tag } from './model.js';

export type VpcEndpointState = 'pending' | 'available' | 'deleting' | 'deleted' | 'failed';

export type { Tag } from './model.js';

export interface VpcEndpoint {
  vpcEndpointId: string;
  vpcEndpointType: EndpointServiceType;
  vpcId: string;
  serviceName: string;
  state: VpcEndpointState;
  /** The custom policy text; undefined means the default full-access policy. */
  policyDocument?: string;
  routeTableIds: string[];
  subnetIds: string[];
  groupIds: string[];
  privateDnsEnabled: boolean;
  networkInterfaceIds: string[];
  /** The 8 characters AWS puts in the endpoint-specific DNS names (`vpce-<id>-<dnsId>.…`). */
  dnsId: string;
  creationTimestamp: number;
  tags: Tag[];
  ownerId: string;
  clientToken?: string;
  /** When the endpoint reached `deleted` (it stays visible to Describe for an hour, as in AWS). */
  deletedAt?: number;
}

/** A requester-managed network interface of an Interface endpoint (one per subnet). */
export interface EndpointNetworkInterface {
  networkInterfaceId: string;
  vpcEndpointId: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId: string;
  privateIpAddress: string;
  macAddress: string;
  groupIds: string[];
  ownerId: string;
  tags: Tag[];
  /** The loopback address batchlink listens on for this interface (By design: see docs/fidelity/ec2.md). */
  listenAddress: string;
}

export interface VpcView {
  vpcId: string;
  cidrBlocks: string[];
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  isDefault?: boolean;
}

export interface SubnetView {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
}

export interface IngressRule {
  /** `-1` (all), `tcp`/`6`, `udp`/`17`, `icmp`/`1`, … */
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4: string[];
  /** Rules that reference other security groups (sources that are members of those groups). */
  groupIds: string[];
  prefixListIds?: string[];
}

export interface SecurityGroupView {
  groupId: string;
  groupName: string;
  vpcId: string;
  ingress: IngressRule[];
}

/** What the endpoint rules read from the network domain (VPCs, subnets, groups, route tables). */
export interface NetworkLookup {
  vpc(scope: Scope, vpcId: string): VpcView | undefined;
  subnet(scope: Scope, subnetId: string): SubnetView | undefined;
  securityGroup(scope: Scope, groupId: string): SecurityGroupView | undefined;
  defaultSecurityGroup(scope: Scope, vpcId: string): SecurityGroupView | undefined;
  /** The VPC of a route table, or undefined when it does not exist (absent: route tables are not checked). */
  routeTableVpc?(scope: Scope, routeTableId: string): string | undefined;
  /** Hands out a private IP of the subnet to `holderId` (absent: the endpoint domain picks one itself). */
  allocatePrivateIp?(scope: Scope, subnetId: string, holderId: string): string | undefined;
  releasePrivateIp?(scope: Scope, subnetId: string, ip: string): void;
  /** Every VPC of every account and region (the DNS resolvers serve one address per VPC). */
  allVpcs(): Array<{ scope: Scope; vpc: VpcView }>;
}

export const DEFAULT_ENDPOINT_POLICY = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

/** An endpoint holds its private DNS domain from creation until it is gone (also while deleting). */
export function holdsDnsDomain(endpoint: VpcEndpoint): boolean {
  return endpoint.privateDnsEnabled && endpoint.state !== 'deleted' && endpoint.state !== 'failed';
}
