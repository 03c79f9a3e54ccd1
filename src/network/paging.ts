/**
 * MaxResults / NextToken for the EC2 network Describe* calls (VPCs, subnets, security groups,
 * gateways, route tables, tags, VPC endpoints, endpoint services, network interfaces), with
 * EC2's messages: MaxResults out of its range, an unreadable token, and ids given together with
 * MaxResults are refused. One page of a list in creation order; the position is an opaque token.
 */
import { ApiError } from '../core/errors.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageLimits {
  min: number;
  max: number;
  /** DescribeVpcEndpoints: "If the value is greater than 1,000, we return only 1,000 items." */
  clampAboveMax?: boolean;
}

export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
  limits: PageLimits;
  /** The id-list parameter's wire name (e.g. `vpcIds`) and how many ids were given: EC2 refuses both with MaxResults. */
  ids?: { parameter: string; count: number };
}

export function paginate<T>(items: T[], request: PageRequest): Page<T> {
  const { maxResults, nextToken, limits, ids } = request;
  let size = maxResults ?? (nextToken !== undefined ? limits.max : items.length);
  if (maxResults !== undefined) {
    if (ids && ids.count > 0) {
      throw new ApiError('InvalidParameterCombination', `The parameter ${ids.parameter} cannot be used with the parameter maxResults`);
    }
    if (maxResults < limits.min) {
      throw new ApiError(
        'InvalidParameterValue',
        `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value greater than ${limits.min}.`,
      );
    }
    if (maxResults > limits.max) {
      if (!limits.clampAboveMax) {
        throw new ApiError(
          'InvalidParameterValue',
          `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value less than ${limits.max}.`,
        );
      }
      size = limits.max;
    }
  }
  let start = 0;
  if (nextToken !== undefined) {
    const match = /^ec2:(\d{1,9})$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!match)
      throw new ApiError('InvalidParameterValue', `Value ( ${nextToken} ) for parameter NextToken is invalid. The token is invalid.`);
    start = Number(match[1]);
  }
  const page = items.slice(start, start + size);
  const next = start + size;
  return next < items.length ? { items: page, nextToken: Buffer.from(`ec2:${next}`, 'utf8').toString('base64url') } : { items: page };
}
