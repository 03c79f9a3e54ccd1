/**
 * The EC2 service (signing name `ec2`, EC2 query protocol): the network operations of
 * batchlink — VPCs, subnets, security groups, gateways, route tables, NAT gateways, tags,
 * regions and zones — plus the VPC endpoint operations (ec2-endpoints.ts). Every operation
 * honours DryRun: once the call is authorized, `DryRun=true` answers DryRunOperation (412).
 */
import { scopeOf } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { NetworkDomain } from '../network/network-domain.js';
import { paginate } from '../network/paging.js';
import type { VpcEndpoints } from '../network/vpc-endpoints.js';
import { describeAvailabilityZones, describeRegions } from '../network/zones.js';
import { ec2ProtocolErrors } from '../protocol/auth-errors.js';
import { Ec2QueryCodec } from '../protocol/ec2-query.js';
import { endpointOperations } from './ec2-endpoints.js';
import { bool, dryRun, filters, pageInput, str, strList } from './ec2-query-input.js';
import { routingHandlers } from './ec2-routing-handlers.js';
import { securityGroupHandlers } from './ec2-security-group-handlers.js';
import { regionShape, tagDescriptionShape, zoneShape } from './ec2-shapes.js';
import { vpcHandlers } from './ec2-vpc-handlers.js';
import type { Handler, Input, ServiceDefinition } from './types.js';

export interface Ec2ServiceOptions {
  /** The VPC endpoint domain; without it the endpoint operations are not served. */
  endpoints?: VpcEndpoints;
}

function tagList(input: Input, required: boolean): Array<{ Key: string; Value?: string }> {
  const value = input.Tag;
  if (value === undefined) {
    if (required) throw new ApiError('MissingParameter', 'The request must contain the parameter Tag');
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new ApiError('InvalidParameterValue', 'Invalid value for parameter Tag.');
    const key = str(entry as Input, 'Key');
    if (key === undefined) throw new ApiError('InvalidParameterValue', 'Tag key must be specified');
    const tagValue = str(entry as Input, 'Value');
    return tagValue === undefined ? { Key: key } : { Key: key, Value: tagValue };
  });
}

function resourceIds(input: Input): string[] {
  const ids = strList(input, 'ResourceId') ?? [];
  if (ids.length === 0) throw new ApiError('MissingParameter', 'The request must contain the parameter resourceIdSet');
  return ids;
}

function miscHandlers(network: NetworkDomain): Record<string, Handler> {
  return {
    CreateTags(input, ctx) {
      const ids = resourceIds(input);
      const tags = tagList(input, true).map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
      network.tags.createTags(scopeOf(ctx), ids, tags);
      return { return: true };
    },
    DeleteTags(input, ctx) {
      network.tags.deleteTags(scopeOf(ctx), resourceIds(input), tagList(input, false));
      return { return: true };
    },
    DescribeTags(input, ctx) {
      const tags = network.tags.describeTags(scopeOf(ctx), filters(input));
      const page = paginate(tags, { ...pageInput(input), limits: { min: 5, max: 1000 } });
      return { tagSet: page.items.map(tagDescriptionShape), nextToken: page.nextToken };
    },
    DescribeRegions(input, ctx) {
      bool(input, 'AllRegions');
      return { regionInfo: describeRegions(ctx.region, strList(input, 'RegionName') ?? [], filters(input)).map(regionShape) };
    },
    DescribeAvailabilityZones(input, ctx) {
      bool(input, 'AllAvailabilityZones');
      const zones = describeAvailabilityZones(ctx.region, strList(input, 'ZoneName') ?? [], strList(input, 'ZoneId') ?? [], filters(input));
      return { availabilityZoneInfo: zones.map(zoneShape) };
    },
  };
}

/** DryRun is answered after authorization and before any state is read or written. */
function withDryRun(handlers: Record<string, Handler>): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]): [string, Handler] => [
      name,
      (input, ctx) => {
        dryRun(input);
        return handler(input, ctx);
      },
    ]),
  );
}

export function createEc2Service(network: NetworkDomain, options: Ec2ServiceOptions = {}): ServiceDefinition {
  const operations: Record<string, Handler> = {
    ...withDryRun({ ...vpcHandlers(network), ...securityGroupHandlers(network), ...routingHandlers(network), ...miscHandlers(network) }),
    ...(options.endpoints ? endpointOperations({ endpoints: options.endpoints }) : {}),
  };
  return {
    signingName: 'ec2',
    actionPrefix: 'ec2',
    codec: new Ec2QueryCodec(Object.keys(operations)),
    errors: ec2ProtocolErrors,
    operations,
  };
}
