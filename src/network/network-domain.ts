/**
 * The network domain's front door: VPCs, subnets, security groups, gateways, route tables, NAT
 * gateways and tags, plus the lookups other parts of batchlink build on (VPC endpoints read a
 * VPC's DNS attributes, a subnet's zone and CIDR, a group's ingress rules, and take private IPs).
 * Extension points: `hooks.addDependencyCheck` and `hooks.registerTaggable`.
 */
import type { Scope } from '../core/context.js';
import type { InternetGateway, NatGateway, RouteTable, SecurityGroup, SecurityGroupRule, Subnet, Tagged, Vpc } from './model.js';
import type { NetworkDeps, TaggableKind } from './network-deps.js';
import { NetworkHooks } from './network-deps.js';
import { networkErrors } from './errors.js';
import { RoutingOperations } from './routing.js';
import { SecurityGroupOperations } from './security-groups.js';
import { TagOperations } from './tags.js';
import { VpcOperations } from './vpcs.js';

export class NetworkDomain {
  readonly hooks = new NetworkHooks();
  readonly vpcs: VpcOperations;
  readonly securityGroups: SecurityGroupOperations;
  readonly routing: RoutingOperations;
  readonly tags: TagOperations;

  constructor(private readonly deps: NetworkDeps) {
    this.vpcs = new VpcOperations(deps, this.hooks);
    this.securityGroups = new SecurityGroupOperations(deps, this.hooks, (scope, vpcId) => void this.vpcs.getVpc(scope, vpcId));
    this.routing = new RoutingOperations(deps, this.vpcs);
    this.tags = new TagOperations(this.hooks, deps.uow);
    const kinds: Array<
      [string, string, TaggableKind['repository'], (r: Tagged) => string, (id: string) => import('../core/errors.js').ApiError]
    > = [
      ['vpc-', 'vpc', deps.vpcs as TaggableKind['repository'], (r) => (r as Vpc).vpcId, networkErrors.vpcNotFound],
      ['subnet-', 'subnet', deps.subnets as TaggableKind['repository'], (r) => (r as Subnet).subnetId, networkErrors.subnetNotFound],
      [
        'sg-',
        'security-group',
        deps.securityGroups as TaggableKind['repository'],
        (r) => (r as SecurityGroup).groupId,
        networkErrors.groupNotFound,
      ],
      [
        'igw-',
        'internet-gateway',
        deps.internetGateways as TaggableKind['repository'],
        (r) => (r as InternetGateway).internetGatewayId,
        networkErrors.internetGatewayNotFound,
      ],
      [
        'rtb-',
        'route-table',
        deps.routeTables as TaggableKind['repository'],
        (r) => (r as RouteTable).routeTableId,
        networkErrors.routeTableNotFound,
      ],
      [
        'nat-',
        'natgateway',
        deps.natGateways as TaggableKind['repository'],
        (r) => (r as NatGateway).natGatewayId,
        networkErrors.natGatewayNotFound,
      ],
    ];
    for (const [prefix, resourceType, repository, idOf, notFound] of kinds)
      this.hooks.registerTaggable({ prefix, resourceType, repository, idOf, notFound });
  }

  // ---- Lookups for other network parts (VPC endpoints, ENIs, private DNS). Each throws AWS's NotFound error.

  /** The VPC, with `enableDnsSupport` / `enableDnsHostnames`. */
  getVpc(scope: Scope, vpcId: string): Vpc {
    return this.vpcs.getVpc(scope, vpcId);
  }

  findVpc(scope: Scope, vpcId: string): Vpc | undefined {
    return this.deps.vpcs.get(scope, vpcId);
  }

  /** The subnet, with `vpcId`, `availabilityZone`, `availabilityZoneId` and `cidrBlock`. */
  getSubnet(scope: Scope, subnetId: string): Subnet {
    return this.vpcs.getSubnet(scope, subnetId);
  }

  /** The security group, with its `ingress` and `egress` rules. */
  getSecurityGroup(scope: Scope, groupId: string): SecurityGroup {
    return this.securityGroups.getGroup(scope, groupId);
  }

  ingressRules(scope: Scope, groupId: string): SecurityGroupRule[] {
    return this.securityGroups.getGroup(scope, groupId).ingress;
  }

  defaultSecurityGroupOf(scope: Scope, vpcId: string): SecurityGroup {
    const vpc = this.vpcs.getVpc(scope, vpcId);
    return this.securityGroups.getGroup(scope, vpc.defaultSecurityGroupId);
  }

  /** Takes a free private IP (or `requested`) in the subnet for `holderId` (an eni-… id). */
  allocatePrivateIp(scope: Scope, subnetId: string, holderId: string, requested?: string): string {
    return this.vpcs.allocatePrivateIp(scope, subnetId, holderId, requested);
  }

  releasePrivateIp(scope: Scope, subnetId: string, ip: string): void {
    this.vpcs.releasePrivateIp(scope, subnetId, ip);
  }

  /** Every VPC in every account and region (for listeners and DNS rebuilt at startup). */
  allVpcs(): Array<{ scope: Scope; vpc: Vpc }> {
    return this.deps.vpcs.listAll().map(({ scope, doc }) => ({ scope, vpc: doc }));
  }
}
