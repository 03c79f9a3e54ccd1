/**
 * Adapts the network domain to the read-only `NetworkLookup` port the VPC endpoint rules use
 * (endpoint-model.ts): VPCs with their DNS attributes, subnets with zone and CIDR, security
 * groups with ingress rules grouped as the endpoint admission check reads them, route table
 * ownership, and private IP allocation in subnets.
 */
import type { Scope } from '../core/context.js';
import type { IngressRule, NetworkLookup, SecurityGroupView, SubnetView, VpcView } from './endpoint-model.js';
import type { SecurityGroup, Subnet, Vpc } from './model.js';
import type { NetworkDomain } from './network-domain.js';
import type { NetworkRepositories } from './network-deps.js';

function vpcView(vpc: Vpc): VpcView {
  return {
    vpcId: vpc.vpcId,
    cidrBlocks: [vpc.cidrBlock],
    enableDnsSupport: vpc.enableDnsSupport,
    enableDnsHostnames: vpc.enableDnsHostnames,
    isDefault: vpc.isDefault,
  };
}

function subnetView(subnet: Subnet): SubnetView {
  return { subnetId: subnet.subnetId, vpcId: subnet.vpcId, cidrBlock: subnet.cidrBlock, availabilityZone: subnet.availabilityZone };
}

/** One IngressRule per stored rule (each stored rule has exactly one peer). */
function groupView(group: SecurityGroup): SecurityGroupView {
  const ingress: IngressRule[] = group.ingress.map((rule) => ({
    ipProtocol: rule.ipProtocol,
    ...(rule.fromPort !== undefined ? { fromPort: rule.fromPort } : {}),
    ...(rule.toPort !== undefined ? { toPort: rule.toPort } : {}),
    cidrIpv4: rule.cidrIpv4 ? [rule.cidrIpv4] : [],
    groupIds: rule.referencedGroupId ? [rule.referencedGroupId] : [],
    ...(rule.prefixListId ? { prefixListIds: [rule.prefixListId] } : {}),
  }));
  return { groupId: group.groupId, groupName: group.groupName, vpcId: group.vpcId, ingress };
}

export function networkLookup(domain: NetworkDomain, repos: NetworkRepositories): NetworkLookup {
  return {
    vpc(scope: Scope, vpcId: string) {
      const vpc = repos.vpcs.get(scope, vpcId);
      return vpc ? vpcView(vpc) : undefined;
    },
    subnet(scope: Scope, subnetId: string) {
      const subnet = repos.subnets.get(scope, subnetId);
      return subnet ? subnetView(subnet) : undefined;
    },
    securityGroup(scope: Scope, groupId: string) {
      const group = repos.securityGroups.get(scope, groupId);
      return group ? groupView(group) : undefined;
    },
    defaultSecurityGroup(scope: Scope, vpcId: string) {
      const vpc = repos.vpcs.get(scope, vpcId);
      const group = vpc ? repos.securityGroups.get(scope, vpc.defaultSecurityGroupId) : undefined;
      return group ? groupView(group) : undefined;
    },
    routeTableVpc(scope: Scope, routeTableId: string) {
      return repos.routeTables.get(scope, routeTableId)?.vpcId;
    },
    allocatePrivateIp(scope: Scope, subnetId: string, holderId: string) {
      return domain.allocatePrivateIp(scope, subnetId, holderId);
    },
    releasePrivateIp(scope: Scope, subnetId: string, ip: string) {
      domain.releasePrivateIp(scope, subnetId, ip);
    },
    allVpcs() {
      return repos.vpcs.listAll().map(({ scope, doc }) => ({ scope, vpc: vpcView(doc) }));
    },
  };
}
