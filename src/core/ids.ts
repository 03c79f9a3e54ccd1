/**
 * Identifier generation, injectable so tests can predict ids. AWS formats: Batch job ids are
 * UUIDs, request ids are UUIDs, EC2 ids are `<prefix>-` + 17 lowercase hex digits.
 *
 * batchlink's UUIDs are version 7 (RFC 9562: a millisecond timestamp, then random bits) where
 * AWS's are version 4: same format, but ids made close in time sort together, so the job-id
 * index grows at its right edge instead of dirtying a random page per insert (bench/ANALYSIS.md).
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface IdSource {
  uuid(): string;
  hex(length: number): string;
}

/** A version-7 UUID: 48-bit Unix milliseconds, the version digit 7, then the random part of a v4. */
export function timeOrderedUuid(now: number = Date.now()): string {
  if (now !== prefixMs) {
    const time = now.toString(16).padStart(12, '0');
    prefixMs = now;
    prefix = `${time.slice(0, 8)}-${time.slice(8, 12)}-7`;
  }
  return prefix + randomUUID().slice(15);
}
// The timestamp part of the last id (many ids are made in the same millisecond).
let prefixMs = -1;
let prefix = '';

export const randomIds: IdSource = {
  uuid: () => timeOrderedUuid(),
  hex: (length) =>
    randomBytes(Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length),
};

export function ec2Id(ids: IdSource, prefix: string): string {
  return `${prefix}-${ids.hex(17)}`;
}
