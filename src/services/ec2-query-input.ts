/**
 * Reads EC2 query inputs for the endpoint operations. The EC2 codec hands over nested structures
 * of strings keyed by the wire names (`SubnetId: ['subnet-…']`, `Filter: [{ Name, Value: [] }]`,
 * `DryRun: 'true'`); these helpers turn them into typed values, refusing malformed ones with
 * EC2's codes (MissingParameter, InvalidParameterValue) and honouring DryRun.
 */
import { ApiError } from '../core/errors.js';
import type { Filter, Tag } from '../network/model.js';
import type { TagSpecification } from '../network/tags.js';
import type { Input } from './types.js';

export function str(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('InvalidParameterValue', `Invalid value for parameter ${name}.`);
  return value;
}

export function requireStr(input: Input, name: string): string {
  const value = str(input, name);
  if (value === undefined || value === '') throw new ApiError('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

export function bool(input: Input, name: string): boolean | undefined {
  const value = str(input, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new ApiError('InvalidParameterValue', `Invalid value '${value}' for boolean parameter ${name}.`);
}

export function int(input: Input, name: string): number | undefined {
  const value = str(input, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new ApiError('InvalidParameterValue', `Invalid value '${value}' for parameter ${name}.`);
  return Number(value);
}

/** `MaxResults` and `NextToken` of a Describe* call, for network/paging.ts. */
export function pageInput(input: Input): { maxResults?: number; nextToken?: string } {
  const maxResults = int(input, 'MaxResults');
  const nextToken = str(input, 'NextToken');
  return { ...(maxResults !== undefined ? { maxResults } : {}), ...(nextToken !== undefined ? { nextToken } : {}) };
}

/** A flattened list of strings (`Name.1`, `Name.2`, …). */
export function strList(input: Input, name: string): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.some((entry) => typeof entry !== 'string')) throw new ApiError('InvalidParameterValue', `Invalid value for parameter ${name}.`);
  return list as string[];
}

function objects(input: Input, name: string): Input[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.some((entry) => typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
    throw new ApiError('InvalidParameterValue', `Invalid value for parameter ${name}.`);
  }
  return list as Input[];
}

export function filters(input: Input): Filter[] {
  return objects(input, 'Filter').map((entry) => {
    const name = str(entry, 'Name');
    if (!name) throw new ApiError('InvalidParameterValue', 'The filter name must be specified.');
    return { name, values: strList(entry, 'Value') ?? [] };
  });
}

export function tagSpecifications(input: Input): TagSpecification[] {
  return objects(input, 'TagSpecification').map((entry) => {
    const tags: Tag[] = objects(entry, 'Tag').map((tag) => ({ Key: str(tag, 'Key') ?? '', Value: str(tag, 'Value') ?? '' }));
    const resourceType = str(entry, 'ResourceType');
    return resourceType === undefined ? { tags } : { resourceType, tags };
  });
}

/** DryRun: the caller may perform the action (the pipeline authorized it), so AWS answers 412. */
export function dryRun(input: Input): void {
  if (bool(input, 'DryRun') === true) throw new ApiError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}
