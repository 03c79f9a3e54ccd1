/**
 * EC2 operations for security groups: create/describe/delete and the four rule operations,
 * taking permissions as `IpPermissions.N.…` or the older top-level form
 * (`IpProtocol`, `FromPort`, `ToPort`, `CidrIp`, `SourceSecurityGroupName`).
 */
import type { RequestContext } from '../core/context.js';
import { scopeOf } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { NetworkDomain } from '../network/network-domain.js';
import { paginate } from '../network/paging.js';
import type { Direction, IpPermission } from '../network/security-groups.js';
import { tagsFromSpecifications } from '../network/tags.js';
import { filters, int, pageInput, requireStr, str, strList, tagSpecifications } from './ec2-query-input.js';
import { revokedRuleShape, securityGroupRuleShape, securityGroupShape } from './ec2-shapes.js';
import type { Handler, Input } from './types.js';

function structures(input: Input, name: string): Input[] {
  const value = input[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.some((v) => typeof v !== 'object' || v === null || Array.isArray(v)))
    throw new ApiError('InvalidParameterValue', `Invalid value for parameter ${name}.`);
  return list as Input[];
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function permissionsOf(input: Input): IpPermission[] {
  const permissions: IpPermission[] = structures(input, 'IpPermissions').map((p) => {
    const ipProtocol = str(p, 'IpProtocol');
    if (ipProtocol === undefined) throw new ApiError('MissingParameter', 'The request must contain the parameter ipProtocol');
    return defined({
      ipProtocol,
      fromPort: int(p, 'FromPort'),
      toPort: int(p, 'ToPort'),
      ipRanges: structures(p, 'IpRanges').map((r) => defined({ cidrIp: requireStr(r, 'CidrIp'), description: str(r, 'Description') })),
      groups: structures(p, 'Groups').map((g) =>
        defined({
          groupId: str(g, 'GroupId'),
          groupName: str(g, 'GroupName'),
          userId: str(g, 'UserId'),
          description: str(g, 'Description'),
        }),
      ),
      prefixListIds: structures(p, 'PrefixListIds').map((l) =>
        defined({ prefixListId: requireStr(l, 'PrefixListId'), description: str(l, 'Description') }),
      ),
    });
  });
  const legacyProtocol = str(input, 'IpProtocol');
  const cidrIp = str(input, 'CidrIp');
  const sourceGroup = str(input, 'SourceSecurityGroupName');
  if (legacyProtocol !== undefined || cidrIp !== undefined || sourceGroup !== undefined) {
    permissions.push(
      defined({
        ipProtocol: legacyProtocol ?? '-1',
        fromPort: int(input, 'FromPort'),
        toPort: int(input, 'ToPort'),
        ipRanges: cidrIp !== undefined ? [{ cidrIp }] : [],
        groups: sourceGroup !== undefined ? [defined({ groupName: sourceGroup, userId: str(input, 'SourceSecurityGroupOwnerId') })] : [],
        prefixListIds: [],
      }),
    );
  }
  return permissions;
}

function groupRef(input: Input): { groupId?: string; groupName?: string } {
  const groupId = str(input, 'GroupId');
  const groupName = str(input, 'GroupName');
  if (groupId === undefined && groupName === undefined)
    throw new ApiError('MissingParameter', 'The request must contain the parameter groupName or groupId');
  return defined({ groupId, groupName });
}

export function securityGroupHandlers(network: NetworkDomain): Record<string, Handler> {
  const sgs = network.securityGroups;

  function authorize(direction: Direction) {
    return (input: Input, ctx: RequestContext) => {
      const scope = scopeOf(ctx);
      const group = direction === 'egress' ? sgs.getGroup(scope, requireStr(input, 'GroupId')) : sgs.findGroup(scope, groupRef(input));
      const permissions = permissionsOf(input);
      if (permissions.length === 0) throw new ApiError('MissingParameter', 'The request must contain the parameter ipPermissions');
      tagsFromSpecifications(tagSpecifications(input), 'security-group-rule');
      const rules = sgs.authorize(scope, group.groupId, direction, permissions);
      return { return: true, securityGroupRuleSet: rules.map((rule) => securityGroupRuleShape(group, rule, direction === 'egress')) };
    };
  }

  function revoke(direction: Direction) {
    return (input: Input, ctx: RequestContext) => {
      const scope = scopeOf(ctx);
      const group = direction === 'egress' ? sgs.getGroup(scope, requireStr(input, 'GroupId')) : sgs.findGroup(scope, groupRef(input));
      const permissions = permissionsOf(input);
      const ruleIds = strList(input, 'SecurityGroupRuleId') ?? [];
      if (permissions.length === 0 && ruleIds.length === 0)
        throw new ApiError('MissingParameter', 'The request must contain the parameter ipPermissions or securityGroupRuleIds');
      const { revoked, unknown } = sgs.revoke(scope, group.groupId, direction, permissions, ruleIds);
      return {
        return: true,
        unknownIpPermissionSet: unknown.map((p) =>
          defined({
            ipProtocol: p.ipProtocol,
            fromPort: p.fromPort,
            toPort: p.toPort,
            ipRanges: p.ipRanges.map((r) => ({ cidrIp: r.cidrIp })),
          }),
        ),
        revokedSecurityGroupRuleSet: revoked.map((rule) => revokedRuleShape(group, rule, direction === 'egress')),
      };
    };
  }

  return {
    CreateSecurityGroup(input, ctx) {
      const groupName = requireStr(input, 'GroupName');
      const description = str(input, 'GroupDescription');
      if (description === undefined) throw new ApiError('MissingParameter', 'The request must contain the parameter GroupDescription');
      const tags = tagsFromSpecifications(tagSpecifications(input), 'security-group');
      const vpcId = str(input, 'VpcId');
      const group = sgs.createSecurityGroup(scopeOf(ctx), { groupName, description, ...(vpcId !== undefined ? { vpcId } : {}), tags });
      return { groupId: group.groupId, tagSet: securityGroupShape(group).tagSet, securityGroupArn: group.arn };
    },

    DescribeSecurityGroups(input, ctx) {
      const ids = strList(input, 'GroupId') ?? [];
      const names = strList(input, 'GroupName') ?? [];
      const groups = sgs.describeSecurityGroups(scopeOf(ctx), ids, names, filters(input));
      const page = paginate(groups, {
        ...pageInput(input),
        ids: { parameter: 'groupIds', count: ids.length + names.length },
        limits: { min: 5, max: 1000 },
      });
      return { securityGroupInfo: page.items.map(securityGroupShape), nextToken: page.nextToken };
    },

    DeleteSecurityGroup(input, ctx) {
      const group = sgs.deleteSecurityGroup(scopeOf(ctx), groupRef(input));
      return { return: true, groupId: group.groupId };
    },

    AuthorizeSecurityGroupIngress: authorize('ingress'),
    AuthorizeSecurityGroupEgress: authorize('egress'),
    RevokeSecurityGroupIngress: revoke('ingress'),
    RevokeSecurityGroupEgress: revoke('egress'),
  };
}
