/**
 * NextToken pagination for the endpoint describe calls: one page of a list in creation order,
 * the position carried in an opaque token, with EC2's messages for MaxResults out of range and
 * an unreadable token (the same wording as the other network Describe* calls).
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

/** One page of `items` starting at the token's position. */
export function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, limits: PageLimits): Page<T> {
  let size = maxResults ?? items.length;
  if (maxResults !== undefined) {
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
  if (nextToken !== undefined && nextToken !== '') {
    const match = /^vpce:(\d{1,9})$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!match)
      throw new ApiError('InvalidParameterValue', `Value ( ${nextToken} ) for parameter NextToken is invalid. The token is invalid.`);
    start = Number(match[1]);
  }
  const page = items.slice(start, start + size);
  const next = start + size;
  return next < items.length ? { items: page, nextToken: Buffer.from(`vpce:${next}`, 'utf8').toString('base64url') } : { items: page };
}
