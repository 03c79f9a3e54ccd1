/**
 * AWS Batch's client errors: everything the caller got wrong is a 400 ClientException with a
 * message; `v` validates inputs with that code.
 */
import { ApiError } from '../core/errors.js';
import { Validator } from '../core/validate.js';

export const v = new Validator('ClientException');

export function clientError(message: string): ApiError {
  return new ApiError('ClientException', message, 400);
}

const NAME = /^[A-Za-z0-9_-]{1,128}$/;
export function resourceName(input: Record<string, unknown>, field: string): string {
  return v.requireString(input, field, {
    pattern: NAME,
    patternText: 'can contain up to 128 letters (uppercase and lowercase), numbers, hyphens, and underscores',
  });
}

/** Opaque pagination tokens: an offset into a stable, creation-ordered list. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeToken<T>(token: string | undefined): T | undefined {
  if (token === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    throw clientError('Invalid nextToken.');
  }
}

/** Pages an in-memory list with an offset token (Describe* operations of small resources). */
export function pageList<T>(items: T[], input: Record<string, unknown>, maxLimit = 100): { page: T[]; nextToken?: string } {
  const maxResults = v.optionalInteger(input, 'maxResults', { min: 1, max: maxLimit }) ?? maxLimit;
  const offset = decodeToken<number>(v.optionalString(input, 'nextToken')) ?? 0;
  const page = items.slice(offset, offset + maxResults);
  const next = offset + maxResults < items.length ? encodeToken(offset + maxResults) : undefined;
  return { page, ...(next !== undefined ? { nextToken: next } : {}) };
}
