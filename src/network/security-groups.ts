/**
 * Security groups and their rules. A permission (protocol, port range, and peers) expands to
 * one rule per peer (CIDR, group, prefix list), each with an `sgr-` id. Protocols are stored as
 * EC2 returns them: `tcp`, `udp`, `icmp`, `-1` (all), or a number. Duplicate and missing rules
 * are refused with AWS's messages; the default group cannot be deleted.
 */
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import { ec2Id } from '../core/ids.js';
import { partitionOf } from '../core/regions.js';
import { formatCidr, parseCidr } from './cidr.js';
import { networkErrors } from './errors.js';
import type { FilterFields } from './filters.js';
import { applyFilters } from './filters.js';
import type { Filter, SecurityGroup, SecurityGroupRule, Tag } from './model.js';
import type { NetworkDeps, NetworkHooks } from './network-deps.js';

/** One permission as the API takes it (IpPermissions.N). */
export interface IpPermission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  ipRanges: Array<{ cidrIp: string; description?: string }>;
  groups: Array<{ groupId?: string; groupName?: string; userId?: string; description?: string }>;
  prefixListIds: Array<{ prefixListId: string; description?: string }>;
}

export type Direction = 'ingress' | 'egress';

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

function normalizeProtocol(protocol: string): string {
  const lower = protocol.toLowerCase();
  const named = PROTOCOL_NAMES[lower] ?? lower;
  if (['tcp', 'udp', 'icmp', 'icmpv6', '-1'].includes(named)) return named;
  if (/^\d{1,3}$/.test(named) && Number(named) <= 255) return named;
  throw networkErrors.parameterValue(`Invalid value '${protocol}' for IP protocol. Unknown protocol.`);
}

/** Ports apply to tcp/udp (a range) and icmp (type/code); other protocols carry none. */
function portsOf(protocol: string, fromPort: number | undefined, toPort: number | undefined): { fromPort?: number; toPort?: number } {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (fromPort === undefined || toPort === undefined) {
      throw networkErrors.parameterValue("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
    }
    if (fromPort < 0 || toPort > 65535 || fromPort > toPort) {
      throw networkErrors.parameterValue(
        `Invalid value '${fromPort}-${toPort}' for portRange. Must be in the range 0-65535 and from port must be less than or equal to to port.`,
      );
    }
    return { fromPort, toPort };
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') return { fromPort: fromPort ?? -1, toPort: toPort ?? -1 };
  return {};
}

/** How AWS names a rule in InvalidPermission.Duplicate: `peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW`. */
export function describeRule(rule: SecurityGroupRule): string {
  const peer = rule.cidrIpv4 ?? rule.referencedGroupId ?? rule.prefixListId ?? '';
  switch (rule.ipProtocol) {
    case '-1':
      return `peer: ${peer}, ALL, ALLOW`;
    case 'tcp':
    case 'udp':
      return `peer: ${peer}, ${rule.ipProtocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW`;
    case 'icmp':
      return `peer: ${peer}, ICMP, type: ${rule.fromPort}, code: ${rule.toPort}, ALLOW`;
    default:
      return `peer: ${peer}, protocol: ${rule.ipProtocol}, ALLOW`;
  }
}

function sameRule(a: SecurityGroupRule, b: SecurityGroupRule): boolean {
  return (
    a.ipProtocol === b.ipProtocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    a.cidrIpv4 === b.cidrIpv4 &&
    a.referencedGroupId === b.referencedGroupId &&
    a.prefixListId === b.prefixListId
  );
}

const ruleList = (rules: SecurityGroupRule[], read: (r: SecurityGroupRule) => string | number | undefined) =>
  rules.map((r) => {
    const value = read(r);
    return value === undefined ? undefined : String(value);
  });

const groupFields: FilterFields<SecurityGroup> = {
  description: (g) => g.description,
  'group-id': (g) => g.groupId,
  'group-name': (g) => g.groupName,
  'owner-id': (g) => g.ownerId,
  'vpc-id': (g) => g.vpcId,
  'ip-permission.cidr': (g) => ruleList(g.ingress, (r) => r.cidrIpv4),
  'ip-permission.from-port': (g) => ruleList(g.ingress, (r) => r.fromPort),
  'ip-permission.to-port': (g) => ruleList(g.ingress, (r) => r.toPort),
  'ip-permission.protocol': (g) => ruleList(g.ingress, (r) => r.ipProtocol),
  'ip-permission.group-id': (g) => ruleList(g.ingress, (r) => r.referencedGroupId),
  'ip-permission.prefix-list-id': (g) => ruleList(g.ingress, (r) => r.prefixListId),
  'ip-permission.user-id': (g) => ruleList(g.ingress, (r) => r.referencedUserId),
  'egress.ip-permission.cidr': (g) => ruleList(g.egress, (r) => r.cidrIpv4),
  'egress.ip-permission.from-port': (g) => ruleList(g.egress, (r) => r.fromPort),
  'egress.ip-permission.to-port': (g) => ruleList(g.egress, (r) => r.toPort),
  'egress.ip-permission.protocol': (g) => ruleList(g.egress, (r) => r.ipProtocol),
  'egress.ip-permission.group-id': (g) => ruleList(g.egress, (r) => r.referencedGroupId),
  'egress.ip-permission.prefix-list-id': (g) => ruleList(g.egress, (r) => r.prefixListId),
  'egress.ip-permission.user-id': (g) => ruleList(g.egress, (r) => r.referencedUserId),
};

export class SecurityGroupOperations {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly hooks: NetworkHooks,
    private readonly vpcExists: (scope: Scope, vpcId: string) => void,
  ) {}

  getGroup(scope: Scope, groupId: string): SecurityGroup {
    if (!groupId.startsWith('sg-')) throw networkErrors.groupIdMalformed(groupId);
    const group = this.deps.securityGroups.get(scope, groupId);
    if (!group) throw networkErrors.groupNotFound(groupId);
    return group;
  }

  /** By id, or by name (in `vpcId` when given; otherwise the only group of that name). */
  findGroup(scope: Scope, ref: { groupId?: string; groupName?: string; vpcId?: string }): SecurityGroup {
    if (ref.groupId !== undefined) return this.getGroup(scope, ref.groupId);
    if (ref.groupName === undefined) throw new ApiError('MissingParameter', 'The request must contain the parameter groupName or groupId');
    const found = this.deps.securityGroups
      .list(scope)
      .find((g) => g.groupName === ref.groupName && (ref.vpcId === undefined || g.vpcId === ref.vpcId));
    if (!found) throw networkErrors.groupNameNotFound(ref.groupName, ref.vpcId);
    return found;
  }

  createSecurityGroup(scope: Scope, input: { groupName: string; description: string; vpcId?: string; tags: Tag[] }): SecurityGroup {
    const { groupName, description } = input;
    if (input.vpcId === undefined) throw new ApiError('VPCIdNotSpecified', 'No default VPC for this user');
    if (groupName.length > 255)
      throw networkErrors.parameterValue(`Invalid value '${groupName}' for groupName. Length exceeds maximum of 255.`);
    if (description.length > 255)
      throw networkErrors.parameterValue(`Invalid value '${description}' for GroupDescription. Length exceeds maximum of 255.`);
    if (groupName.startsWith('sg-')) throw networkErrors.parameterValue('Group names may not be in the format sg-*.');
    if (groupName === 'default') throw networkErrors.groupReservedName();
    const vpcId = input.vpcId;
    return this.deps.uow.transaction(() => {
      this.vpcExists(scope, vpcId);
      if (this.deps.securityGroups.list(scope).some((g) => g.vpcId === vpcId && g.groupName === groupName)) {
        throw networkErrors.groupDuplicate(groupName, vpcId);
      }
      const groupId = ec2Id(this.deps.ids, 'sg');
      const group: SecurityGroup = {
        groupId,
        groupName,
        description,
        vpcId,
        ownerId: scope.accountId,
        arn: `arn:${partitionOf(scope.region).name}:ec2:${scope.region}:${scope.accountId}:security-group/${groupId}`,
        ingress: [],
        egress: [{ securityGroupRuleId: ec2Id(this.deps.ids, 'sgr'), ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }],
        tags: input.tags,
        createdAt: this.deps.clock.now(),
      };
      this.deps.securityGroups.insert(scope, groupId, group);
      return group;
    });
  }

  describeSecurityGroups(scope: Scope, groupIds: string[], groupNames: string[], filters: Filter[]): SecurityGroup[] {
    let groups: SecurityGroup[];
    if (groupIds.length > 0 || groupNames.length > 0) {
      groups = [...groupIds.map((id) => this.getGroup(scope, id)), ...groupNames.map((name) => this.findGroup(scope, { groupName: name }))];
    } else {
      groups = this.deps.securityGroups.list(scope);
    }
    return applyFilters(groups, filters, groupFields);
  }

  deleteSecurityGroup(scope: Scope, ref: { groupId?: string; groupName?: string }): SecurityGroup {
    return this.deps.uow.transaction(() => {
      const group = this.findGroup(scope, ref);
      if (group.groupName === 'default') throw networkErrors.cannotDeleteDefaultGroup(group.groupId);
      const referenced = this.deps.securityGroups
        .list(scope)
        .some((g) => g.groupId !== group.groupId && [...g.ingress, ...g.egress].some((r) => r.referencedGroupId === group.groupId));
      if (referenced || this.hooks.hasDependents('security-group', scope, group.groupId))
        throw networkErrors.groupDependencies(group.groupId);
      this.deps.securityGroups.delete(scope, group.groupId);
      return group;
    });
  }

  /** Expands permissions into rules, checking peers; refuses a rule the group already has. */
  authorize(scope: Scope, groupId: string, direction: Direction, permissions: IpPermission[]): SecurityGroupRule[] {
    return this.deps.uow.transaction(() => {
      const group = this.getGroup(scope, groupId);
      const rules = this.expand(scope, group, permissions);
      const existing = group[direction];
      for (const [index, rule] of rules.entries()) {
        if (existing.some((r) => sameRule(r, rule)) || rules.slice(0, index).some((r) => sameRule(r, rule))) {
          throw networkErrors.permissionDuplicate(describeRule(rule));
        }
      }
      this.deps.securityGroups.put(scope, groupId, { ...group, [direction]: [...existing, ...rules] });
      return rules;
    });
  }

  /** Removes matching rules (by permission or by rule id); refuses when none of them exists. */
  revoke(
    scope: Scope,
    groupId: string,
    direction: Direction,
    permissions: IpPermission[],
    ruleIds: string[],
  ): { revoked: SecurityGroupRule[]; unknown: IpPermission[] } {
    return this.deps.uow.transaction(() => {
      const group = this.getGroup(scope, groupId);
      const existing = group[direction];
      const revoked: SecurityGroupRule[] = [];
      const unknown: IpPermission[] = [];
      for (const permission of permissions) {
        for (const wanted of this.expand(scope, group, [permission], false)) {
          const match = existing.find((r) => sameRule(r, wanted) && !revoked.includes(r));
          if (match) revoked.push(match);
          else unknown.push(permission);
        }
      }
      for (const ruleId of ruleIds) {
        const match = existing.find((r) => r.securityGroupRuleId === ruleId);
        if (!match) throw new ApiError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${ruleId}' does not exist`);
        if (!revoked.includes(match)) revoked.push(match);
      }
      if (revoked.length === 0) throw networkErrors.permissionNotFound();
      this.deps.securityGroups.put(scope, groupId, { ...group, [direction]: existing.filter((r) => !revoked.includes(r)) });
      return { revoked, unknown };
    });
  }

  private expand(scope: Scope, group: SecurityGroup, permissions: IpPermission[], checkPeers = true): SecurityGroupRule[] {
    const rules: SecurityGroupRule[] = [];
    for (const permission of permissions) {
      const ipProtocol = normalizeProtocol(permission.ipProtocol);
      const ports = portsOf(ipProtocol, permission.fromPort, permission.toPort);
      const base = () => ({ securityGroupRuleId: ec2Id(this.deps.ids, 'sgr'), ipProtocol, ...ports });
      for (const range of permission.ipRanges) {
        const cidr = parseCidr(range.cidrIp);
        if (!cidr) throw networkErrors.parameterValue(`CIDR block ${range.cidrIp} is malformed`);
        rules.push({
          ...base(),
          cidrIpv4: formatCidr(cidr),
          ...(range.description !== undefined ? { description: range.description } : {}),
        });
      }
      for (const pair of permission.groups) {
        const peer = checkPeers || pair.groupId === undefined ? this.findGroup(scope, { ...pair, vpcId: group.vpcId }) : undefined;
        const referencedGroupId = peer?.groupId ?? pair.groupId ?? '';
        rules.push({
          ...base(),
          referencedGroupId,
          referencedUserId: pair.userId ?? scope.accountId,
          ...(pair.description !== undefined ? { description: pair.description } : {}),
        });
      }
      for (const prefix of permission.prefixListIds) {
        rules.push({
          ...base(),
          prefixListId: prefix.prefixListId,
          ...(prefix.description !== undefined ? { description: prefix.description } : {}),
        });
      }
      if (permission.ipRanges.length + permission.groups.length + permission.prefixListIds.length === 0) {
        throw new ApiError('MissingParameter', 'The request must contain the parameter ipPermissions');
      }
    }
    return rules;
  }
}
