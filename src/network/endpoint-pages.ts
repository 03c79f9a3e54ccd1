/**
 * NextToken pagination for the endpoint describe calls: one page of a list in creation order,
 * the position carried in an opaque token. (Filters come from network/filters.ts.)
 */
import { ApiError } from '../core/errors.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** One page of `items` starting after the token's position; the token is opaque to clients. */
export function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, limits = { min: 5, max: 1000 }): Page<T> {
  let start = 0;
  if (nextToken !== undefined && nextToken !== '') {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0 || !Buffer.from(nextToken, 'base64url').toString('utf8').startsWith('o:')) {
      throw new ApiError('InvalidNextToken', `The token '${nextToken}' is invalid.`);
    }
    start = decoded;
  }
  if (maxResults !== undefined && (maxResults < limits.min || maxResults > limits.max)) {
    throw new ApiError(
      'InvalidParameterValue',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Parameter must be between ${limits.min} and ${limits.max}.`,
    );
  }
  const size = maxResults ?? items.length;
  const page = items.slice(start, start + size);
  const next = start + size;
  return next < items.length ? { items: page, nextToken: Buffer.from(`o:${next}`, 'utf8').toString('base64url') } : { items: page };
}
