/**
 * Pagination tokens of the Logs API. GetLogEvents tokens look like AWS's: `f/` or `b/` and 56
 * digits (here: 16 zeros, the 20-digit timestamp and the 20-digit seq of a boundary key).
 * FilterLogEvents and the Describe calls use opaque base64url tokens. A token batchlink did not
 * issue is refused with AWS's "The specified nextToken is invalid."
 */
import { ApiError } from '../core/errors.js';
import type { EventKey } from './log-event-repository.js';

export const INVALID_TOKEN = 'The specified nextToken is invalid.';

function invalidToken(): never {
  throw new ApiError('InvalidParameterException', INVALID_TOKEN);
}

const pad = (n: number) => String(n).padStart(20, '0');

/** A boundary between events: every key < it lies behind, every key >= it ahead. */
export function encodeBoundary(direction: 'f' | 'b', key: EventKey): string {
  return `${direction}/${'0'.repeat(16)}${pad(key.timestamp)}${pad(key.seq)}`;
}

export function decodeBoundary(token: string): { direction: 'f' | 'b'; key: EventKey } {
  const match = /^([fb])\/0{16}(\d{20})(\d{20})$/.exec(token);
  if (!match) invalidToken();
  const timestamp = Number(match[2]);
  const seq = Number(match[3]);
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(seq)) invalidToken();
  return { direction: match[1] as 'f' | 'b', key: { timestamp, seq } };
}

/** FilterLogEvents' eventId: a 56-digit string, unique within the account and region. */
export function eventId(key: EventKey): string {
  return `${'0'.repeat(16)}${pad(key.timestamp)}${pad(key.seq)}`;
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes an opaque token and checks its shape with `valid`. */
export function decodeCursor<T>(token: string, valid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    invalidToken();
  }
  if (!valid(value)) invalidToken();
  return value;
}

export function isEventKey(value: unknown): value is EventKey {
  const v = value as Partial<EventKey> | null;
  return typeof v === 'object' && v !== null && Number.isSafeInteger(v.timestamp) && Number.isSafeInteger(v.seq);
}
