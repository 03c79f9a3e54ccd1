/**
 * IAM and STS wire errors with AWS's codes and HTTP statuses (botocore's iam/sts models), and
 * input checks that answer the way AWS's request validation does:
 * `1 validation error detected: Value 'x' at 'userName' failed to satisfy constraint: …`.
 */
import { ApiError } from '../core/errors.js';

export const noSuchEntity = (message: string) => new ApiError('NoSuchEntity', message, 404);
export const entityAlreadyExists = (message: string) => new ApiError('EntityAlreadyExists', message, 409);
export const deleteConflict = (message: string) => new ApiError('DeleteConflict', message, 409);
export const limitExceeded = (message: string) => new ApiError('LimitExceeded', message, 409);
export const malformedPolicy = (message: string) => new ApiError('MalformedPolicyDocument', message, 400);
export const invalidInput = (message: string) => new ApiError('InvalidInput', message, 400);
export const validationError = (message: string) => new ApiError('ValidationError', message, 400);
export const stsAccessDenied = (message: string) => new ApiError('AccessDenied', message, 403);

type Input = Record<string, unknown>;

export interface Constraint {
  min?: number;
  max?: number;
  pattern?: RegExp; // anchored by the checker
  patternText?: string; // the model's pattern, as AWS prints it
}

function memberName(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

function violation(value: unknown, field: string, constraint: string): ApiError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return validationError(
    `1 validation error detected: Value ${shown} at '${memberName(field)}' failed to satisfy constraint: ${constraint}`,
  );
}

export function optionalText(input: Input, field: string, c: Constraint = {}): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw violation(JSON.stringify(value), field, 'Member must be a string');
  if (c.min !== undefined && value.length < c.min)
    throw violation(value, field, `Member must have length greater than or equal to ${c.min}`);
  if (c.max !== undefined && value.length > c.max) throw violation(value, field, `Member must have length less than or equal to ${c.max}`);
  if (c.pattern && !new RegExp(`^(?:${c.pattern.source})$`, c.pattern.flags).test(value)) {
    throw violation(value, field, `Member must satisfy regular expression pattern: ${c.patternText ?? c.pattern.source}`);
  }
  return value;
}

export function requiredText(input: Input, field: string, c: Constraint = {}): string {
  const value = optionalText(input, field, c);
  if (value === undefined) throw violation(undefined, field, 'Member must not be null');
  return value;
}

export function optionalInt(input: Input, field: string, range: { min?: number; max?: number } = {}): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw violation(value, field, 'Member must be an integer');
  if (range.min !== undefined && value < range.min)
    throw violation(value, field, `Member must have value greater than or equal to ${range.min}`);
  if (range.max !== undefined && value > range.max)
    throw violation(value, field, `Member must have value less than or equal to ${range.max}`);
  return value;
}

export function optionalBool(input: Input, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw violation(value, field, 'Member must be a boolean');
  return value;
}

// The IAM model's constraints.
export const NAME: Constraint = { min: 1, max: 64, pattern: /[\w+=,.@-]+/, patternText: '[\\w+=,.@-]+' };
export const EXISTING_NAME: Constraint = { min: 1, max: 128, pattern: /[\w+=,.@-]+/, patternText: '[\\w+=,.@-]+' };
export const POLICY_NAME: Constraint = { min: 1, max: 128, pattern: /[\w+=,.@-]+/, patternText: '[\\w+=,.@-]+' };
export const PATH: Constraint = {
  min: 1,
  max: 512,
  pattern: /(\/)|(\/[\u0021-\u007E]+\/)/,
  patternText: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
};
export const PATH_PREFIX: Constraint = { min: 1, max: 512, pattern: /\/[\u0021-\u007F]*/, patternText: '\\u002F[\\u0021-\\u007F]*' };
export const ARN: Constraint = { min: 20, max: 2048 };
export const POLICY_DOCUMENT: Constraint = {
  min: 1,
  max: 131072,
  // eslint-disable-next-line no-control-regex -- the model's pattern admits tab, LF and CR
  pattern: /[\u0009\u000A\u000D\u0020-\u00FF]+/,
  patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
};
export const ACCESS_KEY_ID: Constraint = { min: 16, max: 128, pattern: /[\w]+/, patternText: '[\\w]+' };
export const VERSION_ID: Constraint = { pattern: /v[1-9][0-9]*(\.[A-Za-z0-9-]*)?/, patternText: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' };
export const SESSION_NAME: Constraint = { min: 2, max: 64, pattern: /[\w+=,.@-]*/, patternText: '[\\w+=,.@-]*' };
