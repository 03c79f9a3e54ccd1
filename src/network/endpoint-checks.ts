/**
 * The rules CreateVpcEndpoint and ModifyVpcEndpoint enforce, with AWS's codes and (where known)
 * exact messages: id formats, subnets in the endpoint's VPC, one subnet per zone
 * (DuplicateSubnetsInSameZone), zones the service supports, security groups of the same VPC,
 * and private DNS (both VPC DNS attributes; one endpoint per private domain per VPC).
 */
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { DocumentRepository } from '../core/repository.js';
import { holdsDnsDomain } from './endpoint-model.js';
import type { NetworkLookup, SecurityGroupView, SubnetView, VpcEndpoint, VpcView } from './endpoint-model.js';
import type { EndpointService } from './endpoint-services.js';

const ID_PATTERN = /^[a-z]+-[0-9a-f]{8}([0-9a-f]{9})?$/;

const MALFORMED: Record<string, [code: string, label: string]> = {
  vpce: ['InvalidVpcEndpointId.Malformed', 'Vpc Endpoint Id'],
  subnet: ['InvalidSubnetId.Malformed', 'Subnet Id'],
  sg: ['InvalidGroupId.Malformed', 'security group ID'],
  vpc: ['InvalidVpcId.Malformed', 'VPC ID'],
  rtb: ['InvalidRouteTableId.Malformed', 'Route Table Id'],
  eni: ['InvalidNetworkInterfaceId.Malformed', 'network interface ID'],
};

/** Refuses an id that is not `<prefix>-` + 8 or 17 lowercase hex digits. */
export function checkIdFormat(prefix: keyof typeof MALFORMED, id: string): void {
  if (id.startsWith(`${prefix}-`) && ID_PATTERN.test(id)) return;
  const [code, label] = MALFORMED[prefix] ?? ['InvalidParameterValue', 'id'];
  throw new ApiError(
    code,
    `Invalid ${label}: '${id}' (expecting '${prefix}-...; the Id may only contain lowercase alphanumeric characters and a single dash')`,
  );
}

export function endpointNotFound(id: string): ApiError {
  return new ApiError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${id}' does not exist`);
}

export function serviceNotFound(name: string): ApiError {
  return new ApiError('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`);
}

export function requireVpc(network: NetworkLookup, scope: Scope, vpcId: string): VpcView {
  checkIdFormat('vpc', vpcId);
  const vpc = network.vpc(scope, vpcId);
  if (!vpc) throw new ApiError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
  return vpc;
}

/**
 * Resolves and checks the subnets of an Interface endpoint: each exists, lies in the VPC, sits in
 * a zone the service supports, and no two (counting `kept`, the subnets it already has) share a zone.
 */
export function checkSubnets(
  network: NetworkLookup,
  scope: Scope,
  vpcId: string,
  service: EndpointService,
  subnetIds: string[],
  kept: SubnetView[] = [],
): SubnetView[] {
  const subnets: SubnetView[] = [];
  for (const subnetId of subnetIds) {
    checkIdFormat('subnet', subnetId);
    const subnet = network.subnet(scope, subnetId);
    if (!subnet) throw new ApiError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
    if (subnet.vpcId !== vpcId) {
      throw new ApiError('InvalidParameter', `The subnet ID '${subnetId}' does not belong to the VPC '${vpcId}'.`);
    }
    if (subnets.some((seen) => seen.subnetId === subnetId) || kept.some((seen) => seen.subnetId === subnetId)) continue;
    subnets.push(subnet);
  }
  // The error names the subnet that found another one before it in its zone.
  const seenZones = new Set(kept.map((subnet) => subnet.availabilityZone));
  for (const subnet of subnets) {
    if (seenZones.has(subnet.availabilityZone)) {
      throw new ApiError(
        'DuplicateSubnetsInSameZone',
        `Found another VPC endpoint subnet in the availability zone of ${subnet.subnetId}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`,
      );
    }
    seenZones.add(subnet.availabilityZone);
  }
  for (const subnet of subnets) {
    if (!service.availabilityZones.includes(subnet.availabilityZone)) {
      throw new ApiError(
        'InvalidParameter',
        `The VPC endpoint service ${service.serviceName} does not support the availability zone of the subnet: ${subnet.subnetId}.`,
      );
    }
  }
  return subnets;
}

/** Resolves security groups; each must exist and belong to the endpoint's VPC. */
export function checkSecurityGroups(network: NetworkLookup, scope: Scope, vpcId: string, groupIds: string[]): SecurityGroupView[] {
  const groups: SecurityGroupView[] = [];
  for (const groupId of groupIds) {
    checkIdFormat('sg', groupId);
    const group = network.securityGroup(scope, groupId);
    if (!group) throw new ApiError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
    if (group.vpcId !== vpcId) {
      throw new ApiError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist in VPC '${vpcId}'`);
    }
    if (!groups.some((seen) => seen.groupId === groupId)) groups.push(group);
  }
  return groups;
}

/**
 * Private DNS needs both VPC DNS attributes, and only one endpoint per private domain per VPC:
 * an endpoint holds its domain until it is gone (also while it is deleting).
 */
export function checkPrivateDns(
  vpc: VpcView,
  service: EndpointService,
  endpoints: DocumentRepository<VpcEndpoint>,
  scope: Scope,
  self?: string,
): void {
  if (!vpc.enableDnsSupport || !vpc.enableDnsHostnames) {
    throw new ApiError(
      'InvalidParameter',
      `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpc.vpcId}`,
    );
  }
  const domain = service.privateDnsName;
  if (!domain) return;
  const holder = endpoints
    .list(scope)
    .find(
      (other) =>
        other.vpcEndpointId !== self &&
        other.vpcId === vpc.vpcId &&
        other.serviceName === service.serviceName &&
        other.vpcEndpointType === 'Interface' &&
        holdsDnsDomain(other),
    );
  if (holder) {
    throw new ApiError(
      'InvalidParameter',
      `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ${domain} in the VPC ${vpc.vpcId}`,
    );
  }
}

export function checkRouteTables(network: NetworkLookup, scope: Scope, vpcId: string, routeTableIds: string[]): void {
  for (const routeTableId of routeTableIds) {
    checkIdFormat('rtb', routeTableId);
    if (!network.routeTableVpc) continue;
    const owner = network.routeTableVpc(scope, routeTableId);
    if (owner === undefined) throw new ApiError('InvalidRouteTableID.NotFound', `The routeTable ID '${routeTableId}' does not exist`);
    if (owner !== vpcId) throw new ApiError('InvalidParameter', `The route table ${routeTableId} does not belong to the VPC ${vpcId}.`);
  }
}
