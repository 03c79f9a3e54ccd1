/**
 * MaxResults / NextToken for the network Describe* calls, with EC2's messages: MaxResults out of
 * its range, an unreadable token, and ids given together with MaxResults are refused.
 */
import { ApiError } from '../core/errors.js';

export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
  /** The id-list parameter's wire name (e.g. `vpcIds`) and how many ids were given. */
  idParameter: string;
  idCount: number;
  limits: { min: number; max: number };
}

export function paginateEc2<T>(items: T[], request: PageRequest): { items: T[]; nextToken?: string } {
  const { maxResults, nextToken, limits } = request;
  if (maxResults !== undefined) {
    if (request.idCount > 0) {
      throw new ApiError(
        'InvalidParameterCombination',
        `The parameter ${request.idParameter} cannot be used with the parameter maxResults`,
      );
    }
    if (maxResults < limits.min) {
      throw new ApiError(
        'InvalidParameterValue',
        `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value greater than ${limits.min}.`,
      );
    }
    if (maxResults > limits.max) {
      throw new ApiError(
        'InvalidParameterValue',
        `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value less than ${limits.max}.`,
      );
    }
  }
  let start = 0;
  if (nextToken !== undefined) {
    const text = Buffer.from(nextToken, 'base64url').toString('utf8');
    const match = /^ec2:(\d{1,9})$/.exec(text);
    if (!match)
      throw new ApiError('InvalidParameterValue', `Value ( ${nextToken} ) for parameter NextToken is invalid. The token is invalid.`);
    start = Number(match[1]);
  }
  const size = maxResults ?? (nextToken !== undefined ? limits.max : items.length);
  const page = items.slice(start, start + size);
  const next = start + size;
  return next < items.length ? { items: page, nextToken: Buffer.from(`ec2:${next}`, 'utf8').toString('base64url') } : { items: page };
}
