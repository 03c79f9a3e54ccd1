/**
 * The EC2 wire shapes of the network resources, keyed by the botocore model's locationNames
 * (Vpc.Tags is `tagSet`, SecurityGroup.Description is `groupDescription`, DescribeSecurityGroups'
 * list is `securityGroupInfo` …). A wrong name is silently dropped by the SDKs, so each builder
 * was checked against botocore/data/ec2/2016-11-15/service-2.json.
 */
import type { InternetGateway, NatGateway, RouteTable, SecurityGroup, SecurityGroupRule, Subnet, Tag, Vpc } from '../network/model.js';
import { availableIpCount } from '../network/vpcs.js';
import type { RegionInfo, ZoneInfo } from '../network/zones.js';
import type { TagDescription } from '../network/tags.js';
import type { XmlObject } from '../protocol/xml.js';

export const tagSet = (tags: Tag[]) => tags.map((tag) => ({ key: tag.Key, value: tag.Value }));

export function vpcShape(vpc: Vpc): XmlObject {
  return {
    vpcId: vpc.vpcId,
    ownerId: vpc.ownerId,
    state: vpc.state,
    cidrBlock: vpc.cidrBlock,
    cidrBlockAssociationSet: [{ associationId: vpc.cidrAssociationId, cidrBlock: vpc.cidrBlock, cidrBlockState: { state: 'associated' } }],
    ipv6CidrBlockAssociationSet: [],
    dhcpOptionsId: vpc.dhcpOptionsId,
    instanceTenancy: vpc.instanceTenancy,
    isDefault: vpc.isDefault,
    blockPublicAccessStates: { internetGatewayBlockMode: 'off' },
    tagSet: tagSet(vpc.tags),
  };
}

export function subnetShape(subnet: Subnet): XmlObject {
  return {
    subnetId: subnet.subnetId,
    subnetArn: subnet.subnetArn,
    state: subnet.state,
    vpcId: subnet.vpcId,
    ownerId: subnet.ownerId,
    cidrBlock: subnet.cidrBlock,
    ipv6CidrBlockAssociationSet: [],
    availableIpAddressCount: availableIpCount(subnet),
    availabilityZone: subnet.availabilityZone,
    availabilityZoneId: subnet.availabilityZoneId,
    defaultForAz: subnet.defaultForAz,
    mapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
    mapCustomerOwnedIpOnLaunch: false,
    assignIpv6AddressOnCreation: false,
    enableDns64: false,
    ipv6Native: false,
    privateDnsNameOptionsOnLaunch: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
    blockPublicAccessStates: { internetGatewayBlockMode: 'off' },
    tagSet: tagSet(subnet.tags),
  };
}

/** Rules are stored one peer each; EC2 reports permissions grouped by protocol and ports. */
export function ipPermissionSet(rules: SecurityGroupRule[], ownerId: string): XmlObject[] {
  const groups = new Map<string, { perm: XmlObject; ipRanges: XmlObject[]; groups: XmlObject[]; prefixListIds: XmlObject[] }>();
  for (const rule of rules) {
    const key = `${rule.ipProtocol}|${rule.fromPort ?? ''}|${rule.toPort ?? ''}`;
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        perm: { ipProtocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort },
        ipRanges: [],
        groups: [],
        prefixListIds: [],
      };
      groups.set(key, entry);
    }
    if (rule.cidrIpv4) entry.ipRanges.push({ cidrIp: rule.cidrIpv4, description: rule.description });
    if (rule.referencedGroupId)
      entry.groups.push({ userId: rule.referencedUserId ?? ownerId, groupId: rule.referencedGroupId, description: rule.description });
    if (rule.prefixListId) entry.prefixListIds.push({ prefixListId: rule.prefixListId, description: rule.description });
  }
  return [...groups.values()].map((e) => ({
    ...e.perm,
    groups: e.groups,
    ipRanges: e.ipRanges,
    ipv6Ranges: [],
    prefixListIds: e.prefixListIds,
  }));
}

export function securityGroupShape(group: SecurityGroup): XmlObject {
  return {
    ownerId: group.ownerId,
    groupId: group.groupId,
    groupName: group.groupName,
    groupDescription: group.description,
    vpcId: group.vpcId,
    securityGroupArn: group.arn,
    ipPermissions: ipPermissionSet(group.ingress, group.ownerId),
    ipPermissionsEgress: ipPermissionSet(group.egress, group.ownerId),
    tagSet: tagSet(group.tags),
  };
}

export function securityGroupRuleShape(group: SecurityGroup, rule: SecurityGroupRule, isEgress: boolean): XmlObject {
  return {
    securityGroupRuleId: rule.securityGroupRuleId,
    groupId: group.groupId,
    groupOwnerId: group.ownerId,
    isEgress,
    ipProtocol: rule.ipProtocol,
    fromPort: rule.fromPort ?? -1,
    toPort: rule.toPort ?? -1,
    cidrIpv4: rule.cidrIpv4,
    prefixListId: rule.prefixListId,
    referencedGroupInfo: rule.referencedGroupId
      ? { groupId: rule.referencedGroupId, userId: rule.referencedUserId ?? group.ownerId }
      : undefined,
    description: rule.description,
    tagSet: [],
    securityGroupRuleArn: group.arn.replace(/security-group\/.*$/, `security-group-rule/${rule.securityGroupRuleId}`),
  };
}

export function revokedRuleShape(group: SecurityGroup, rule: SecurityGroupRule, isEgress: boolean): XmlObject {
  return {
    securityGroupRuleId: rule.securityGroupRuleId,
    groupId: group.groupId,
    isEgress,
    ipProtocol: rule.ipProtocol,
    fromPort: rule.fromPort ?? -1,
    toPort: rule.toPort ?? -1,
    cidrIpv4: rule.cidrIpv4,
    prefixListId: rule.prefixListId,
    referencedGroupId: rule.referencedGroupId,
    description: rule.description,
  };
}

export function internetGatewayShape(gateway: InternetGateway): XmlObject {
  return {
    internetGatewayId: gateway.internetGatewayId,
    ownerId: gateway.ownerId,
    attachmentSet: gateway.attachments.map((a) => ({ vpcId: a.vpcId, state: a.state })),
    tagSet: tagSet(gateway.tags),
  };
}

export function routeTableShape(table: RouteTable): XmlObject {
  return {
    routeTableId: table.routeTableId,
    vpcId: table.vpcId,
    ownerId: table.ownerId,
    routeSet: table.routes.map((r) => ({
      destinationCidrBlock: r.destinationCidrBlock,
      gatewayId: r.gatewayId,
      natGatewayId: r.natGatewayId,
      networkInterfaceId: r.networkInterfaceId,
      instanceId: r.instanceId,
      vpcPeeringConnectionId: r.vpcPeeringConnectionId,
      transitGatewayId: r.transitGatewayId,
      state: r.state,
      origin: r.origin,
    })),
    associationSet: table.associations.map((a) => ({
      routeTableAssociationId: a.associationId,
      routeTableId: table.routeTableId,
      subnetId: a.subnetId,
      gatewayId: a.gatewayId,
      main: a.main,
      associationState: { state: 'associated' },
    })),
    propagatingVgwSet: [],
    tagSet: tagSet(table.tags),
  };
}

export function natGatewayShape(nat: NatGateway): XmlObject {
  return {
    natGatewayId: nat.natGatewayId,
    vpcId: nat.vpcId,
    subnetId: nat.subnetId,
    state: nat.state,
    connectivityType: nat.connectivityType,
    createTime: new Date(nat.createTime),
    deleteTime: nat.deleteTime !== undefined ? new Date(nat.deleteTime) : undefined,
    failureCode: nat.failureCode,
    failureMessage: nat.failureMessage,
    natGatewayAddressSet: [
      {
        allocationId: nat.allocationId,
        networkInterfaceId: nat.networkInterfaceId,
        privateIp: nat.privateIp,
        isPrimary: true,
        status: nat.state === 'deleted' ? 'succeeded' : nat.state === 'failed' ? 'failed' : 'succeeded',
      },
    ],
    tagSet: tagSet(nat.tags),
  };
}

export function tagDescriptionShape(tag: TagDescription): XmlObject {
  return { resourceId: tag.resourceId, resourceType: tag.resourceType, key: tag.key, value: tag.value };
}

export function regionShape(region: RegionInfo): XmlObject {
  return { regionName: region.regionName, regionEndpoint: region.endpoint, optInStatus: region.optInStatus };
}

export function zoneShape(zone: ZoneInfo): XmlObject {
  return {
    zoneName: zone.zoneName,
    zoneId: zone.zoneId,
    zoneState: zone.state,
    regionName: zone.regionName,
    optInStatus: zone.optInStatus,
    groupName: zone.groupName,
    networkBorderGroup: zone.networkBorderGroup,
    zoneType: zone.zoneType,
    messageSet: [],
  };
}
