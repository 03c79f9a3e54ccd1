/**
 * VPCs and subnets. A new VPC gets what AWS gives it: a default security group, a main route
 * table with the `local` route, a default network ACL id, DNS support on and DNS hostnames off.
 * CIDR rules (AWS): VPC and subnet prefixes /16../28, subnets inside their VPC and not
 * overlapping one another. Subnets hand out private IPs (first four and last address reserved).
 */
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import { ec2Id } from '../core/ids.js';
import { availabilityZones, partitionOf, zoneId } from '../core/regions.js';
import {
  containsCidr,
  containsIp,
  formatCidr,
  formatIp,
  isNetworkAddress,
  overlaps,
  parseCidr,
  parseIp,
  sizeOf,
  usableAddresses,
  RESERVED_PER_SUBNET,
} from './cidr.js';
import { networkErrors } from './errors.js';
import type { FilterFields } from './filters.js';
import { applyFilters } from './filters.js';
import type { Filter, RouteTable, SecurityGroup, Subnet, Tag, Vpc } from './model.js';
import type { NetworkDeps, NetworkHooks } from './network-deps.js';

export type VpcAttributeName = 'enableDnsSupport' | 'enableDnsHostnames' | 'enableNetworkAddressUsageMetrics';

const vpcFields: FilterFields<Vpc> = {
  cidr: (v) => v.cidrBlock,
  'cidr-block-association.cidr-block': (v) => v.cidrBlock,
  'cidr-block-association.association-id': (v) => v.cidrAssociationId,
  'cidr-block-association.state': () => 'associated',
  'dhcp-options-id': (v) => v.dhcpOptionsId,
  'instance-tenancy': (v) => v.instanceTenancy,
  'is-default': (v) => v.isDefault,
  'owner-id': (v) => v.ownerId,
  state: (v) => v.state,
  'vpc-id': (v) => v.vpcId,
};

const subnetFields: FilterFields<Subnet> = {
  'availability-zone': (s) => s.availabilityZone,
  availabilityZone: (s) => s.availabilityZone,
  'availability-zone-id': (s) => s.availabilityZoneId,
  'available-ip-address-count': (s) => availableIpCount(s),
  'cidr-block': (s) => s.cidrBlock,
  cidr: (s) => s.cidrBlock,
  cidrBlock: (s) => s.cidrBlock,
  'default-for-az': (s) => s.defaultForAz,
  defaultForAz: (s) => s.defaultForAz,
  'map-public-ip-on-launch': (s) => s.mapPublicIpOnLaunch,
  'owner-id': (s) => s.ownerId,
  state: (s) => s.state,
  'subnet-arn': (s) => s.subnetArn,
  'subnet-id': (s) => s.subnetId,
  'vpc-id': (s) => s.vpcId,
};

export function availableIpCount(subnet: Subnet): number {
  const cidr = parseCidr(subnet.cidrBlock);
  return cidr ? sizeOf(cidr) - RESERVED_PER_SUBNET - Object.keys(subnet.allocatedIps).length : 0;
}

/** Validates an IPv4 CIDR parameter: well formed (InvalidParameterValue), then a /16../28 network (`range`). */
function checkCidr(text: string, parameter: string, range: (cidr: string) => ApiError) {
  const cidr = parseCidr(text);
  if (!cidr) throw networkErrors.invalidCidr(parameter, text);
  if (cidr.prefix < 16 || cidr.prefix > 28 || !isNetworkAddress(text)) throw range(text);
  return cidr;
}

export class VpcOperations {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly hooks: NetworkHooks,
  ) {}

  getVpc(scope: Scope, vpcId: string): Vpc {
    const vpc = this.deps.vpcs.get(scope, vpcId);
    if (!vpc) throw networkErrors.vpcNotFound(vpcId);
    return vpc;
  }

  getSubnet(scope: Scope, subnetId: string): Subnet {
    const subnet = this.deps.subnets.get(scope, subnetId);
    if (!subnet) throw networkErrors.subnetNotFound(subnetId);
    return subnet;
  }

  createVpc(scope: Scope, input: { cidrBlock: string; instanceTenancy?: Vpc['instanceTenancy']; tags: Tag[] }): Vpc {
    const cidr = checkCidr(input.cidrBlock, 'cidrBlock', networkErrors.vpcRange);
    const { ids, clock } = this.deps;
    const now = clock.now();
    const vpcId = ec2Id(ids, 'vpc');
    const vpc: Vpc = {
      vpcId,
      ownerId: scope.accountId,
      cidrBlock: formatCidr(cidr),
      cidrAssociationId: ec2Id(ids, 'vpc-cidr-assoc'),
      state: 'available',
      dhcpOptionsId: ec2Id(ids, 'dopt'),
      instanceTenancy: input.instanceTenancy ?? 'default',
      isDefault: false,
      enableDnsSupport: true,
      enableDnsHostnames: false,
      enableNetworkAddressUsageMetrics: false,
      defaultSecurityGroupId: ec2Id(ids, 'sg'),
      mainRouteTableId: ec2Id(ids, 'rtb'),
      defaultNetworkAclId: ec2Id(ids, 'acl'),
      tags: input.tags,
      createdAt: now,
    };
    const defaultGroup: SecurityGroup = {
      groupId: vpc.defaultSecurityGroupId,
      groupName: 'default',
      description: 'default VPC security group',
      vpcId,
      ownerId: scope.accountId,
      arn: `arn:${partitionOf(scope.region).name}:ec2:${scope.region}:${scope.accountId}:security-group/${vpc.defaultSecurityGroupId}`,
      ingress: [
        {
          securityGroupRuleId: ec2Id(ids, 'sgr'),
          ipProtocol: '-1',
          referencedGroupId: vpc.defaultSecurityGroupId,
          referencedUserId: scope.accountId,
        },
      ],
      egress: [{ securityGroupRuleId: ec2Id(ids, 'sgr'), ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }],
      tags: [],
      createdAt: now,
    };
    const mainTable: RouteTable = {
      routeTableId: vpc.mainRouteTableId,
      vpcId,
      ownerId: scope.accountId,
      routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable', state: 'active' }],
      associations: [{ associationId: ec2Id(ids, 'rtbassoc'), main: true }],
      tags: [],
      createdAt: now,
    };
    this.deps.uow.transaction(() => {
      this.deps.vpcs.insert(scope, vpcId, vpc);
      this.deps.securityGroups.insert(scope, defaultGroup.groupId, defaultGroup);
      this.deps.routeTables.insert(scope, mainTable.routeTableId, mainTable);
    });
    return vpc;
  }

  describeVpcs(scope: Scope, vpcIds: string[], filters: Filter[]): Vpc[] {
    const vpcs = vpcIds.length > 0 ? vpcIds.map((id) => this.getVpc(scope, id)) : this.deps.vpcs.list(scope);
    return applyFilters(vpcs, filters, vpcFields);
  }

  /** AWS refuses while subnets, an attached internet gateway, extra security groups or route tables, or endpoints remain. */
  deleteVpc(scope: Scope, vpcId: string): void {
    this.deps.uow.transaction(() => {
      const vpc = this.getVpc(scope, vpcId);
      const { subnets, internetGateways, securityGroups, routeTables } = this.deps;
      const blocked =
        subnets.list(scope).some((s) => s.vpcId === vpcId) ||
        internetGateways.list(scope).some((g) => g.attachments.some((a) => a.vpcId === vpcId)) ||
        securityGroups.list(scope).some((g) => g.vpcId === vpcId && g.groupId !== vpc.defaultSecurityGroupId) ||
        routeTables.list(scope).some((t) => t.vpcId === vpcId && t.routeTableId !== vpc.mainRouteTableId) ||
        this.hooks.hasDependents('vpc', scope, vpcId);
      if (blocked) throw networkErrors.vpcDependencies(vpcId);
      securityGroups.delete(scope, vpc.defaultSecurityGroupId);
      routeTables.delete(scope, vpc.mainRouteTableId);
      this.deps.vpcs.delete(scope, vpcId);
    });
  }

  modifyVpcAttribute(scope: Scope, vpcId: string, attribute: VpcAttributeName, value: boolean): Vpc {
    return this.deps.uow.transaction(() => {
      const vpc = this.getVpc(scope, vpcId);
      if (attribute === 'enableDnsHostnames' && value && !vpc.enableDnsSupport) {
        throw networkErrors.parameterValue('Cannot enable DNS hostnames without DNS support.');
      }
      const updated: Vpc = { ...vpc, [attribute]: value };
      this.deps.vpcs.put(scope, vpcId, updated);
      return updated;
    });
  }

  createSubnet(
    scope: Scope,
    input: { vpcId: string; cidrBlock: string; availabilityZone?: string; availabilityZoneId?: string; tags: Tag[] },
  ): Subnet {
    return this.deps.uow.transaction(() => {
      const vpc = this.getVpc(scope, input.vpcId);
      const cidr = checkCidr(input.cidrBlock, 'cidrBlock', networkErrors.subnetRange);
      const vpcCidr = parseCidr(vpc.cidrBlock);
      if (!vpcCidr || !containsCidr(vpcCidr, cidr)) throw networkErrors.subnetRange(input.cidrBlock);
      const siblings = this.deps.subnets.list(scope).filter((s) => s.vpcId === vpc.vpcId);
      if (siblings.some((s) => overlaps(parseCidr(s.cidrBlock) ?? cidr, cidr))) throw networkErrors.subnetConflict(input.cidrBlock);
      const zones = availabilityZones(scope.region);
      const zone = this.pickZone(zones, siblings.length, input.availabilityZone, input.availabilityZoneId);
      const subnetId = ec2Id(this.deps.ids, 'subnet');
      const subnet: Subnet = {
        subnetId,
        subnetArn: `arn:${partitionOf(scope.region).name}:ec2:${scope.region}:${scope.accountId}:subnet/${subnetId}`,
        vpcId: vpc.vpcId,
        ownerId: scope.accountId,
        cidrBlock: formatCidr(cidr),
        availabilityZone: zone,
        availabilityZoneId: zoneId(zone),
        state: 'available',
        defaultForAz: false,
        mapPublicIpOnLaunch: false,
        allocatedIps: {},
        tags: input.tags,
        createdAt: this.deps.clock.now(),
      };
      this.deps.subnets.insert(scope, subnetId, subnet);
      return subnet;
    });
  }

  private pickZone(zones: string[], index: number, name: string | undefined, id: string | undefined): string {
    if (name !== undefined) {
      if (!zones.includes(name)) {
        throw networkErrors.parameterValue(
          `Value (${name}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(', ')}.`,
        );
      }
      if (id !== undefined && zoneId(name) !== id)
        throw new ApiError(
          'InvalidParameterCombination',
          'The parameters AvailabilityZone and AvailabilityZoneId cannot both be specified.',
        );
      return name;
    }
    if (id !== undefined) {
      const zone = zones.find((z) => zoneId(z) === id);
      if (!zone)
        throw networkErrors.parameterValue(
          `Value (${id}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zone ids: ${zones.map(zoneId).join(', ')}.`,
        );
      return zone;
    }
    return zones[index % zones.length] ?? `${zones[0]}`;
  }

  describeSubnets(scope: Scope, subnetIds: string[], filters: Filter[]): Subnet[] {
    const subnets = subnetIds.length > 0 ? subnetIds.map((id) => this.getSubnet(scope, id)) : this.deps.subnets.list(scope);
    return applyFilters(subnets, filters, subnetFields);
  }

  /** Network interfaces and NAT gateways (holders of private IPs) block deletion; route table associations go with it. */
  deleteSubnet(scope: Scope, subnetId: string): void {
    this.deps.uow.transaction(() => {
      const subnet = this.getSubnet(scope, subnetId);
      if (Object.keys(subnet.allocatedIps).length > 0 || this.hooks.hasDependents('subnet', scope, subnetId)) {
        throw networkErrors.subnetDependencies(subnetId);
      }
      for (const table of this.deps.routeTables.list(scope)) {
        if (table.associations.some((a) => a.subnetId === subnetId)) {
          this.deps.routeTables.put(scope, table.routeTableId, {
            ...table,
            associations: table.associations.filter((a) => a.subnetId !== subnetId),
          });
        }
      }
      this.deps.subnets.delete(scope, subnetId);
    });
  }

  /** Hands out `requested` or the lowest free private IP of the subnet to `holderId`. */
  allocatePrivateIp(scope: Scope, subnetId: string, holderId: string, requested?: string): string {
    return this.deps.uow.transaction(() => {
      const subnet = this.getSubnet(scope, subnetId);
      const cidr = parseCidr(subnet.cidrBlock);
      if (!cidr) throw networkErrors.subnetNotFound(subnetId);
      let chosen: string | undefined;
      if (requested !== undefined) {
        const ip = parseIp(requested);
        const usable = ip !== undefined && containsIp(cidr, ip) && ip >= cidr.base + 4 && ip < cidr.base + sizeOf(cidr) - 1;
        if (!usable) throw networkErrors.parameterValue(`Address ${requested} does not fall within the subnet's address range`);
        if (subnet.allocatedIps[requested]) throw new ApiError('InvalidIPAddress.InUse', `Address ${requested} is in use.`);
        chosen = requested;
      } else {
        for (const ip of usableAddresses(cidr)) {
          const text = formatIp(ip);
          if (!subnet.allocatedIps[text]) {
            chosen = text;
            break;
          }
        }
      }
      if (!chosen) throw networkErrors.insufficientAddresses();
      this.deps.subnets.put(scope, subnetId, { ...subnet, allocatedIps: { ...subnet.allocatedIps, [chosen]: holderId } });
      return chosen;
    });
  }

  releasePrivateIp(scope: Scope, subnetId: string, ip: string): void {
    this.deps.uow.transaction(() => {
      const subnet = this.deps.subnets.get(scope, subnetId);
      if (!subnet || !(ip in subnet.allocatedIps)) return;
      const allocatedIps = { ...subnet.allocatedIps };
      delete allocatedIps[ip];
      this.deps.subnets.put(scope, subnetId, { ...subnet, allocatedIps });
    });
  }
}
