/**
 * Identifier generation, injectable so tests can predict ids. AWS formats: Batch job ids are
 * UUIDs, request ids are UUIDs, EC2 ids are `<prefix>-` + 17 lowercase hex digits.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface IdSource {
  uuid(): string;
  hex(length: number): string;
}

export const randomIds: IdSource = {
  uuid: () => randomUUID(),
  hex: (length) =>
    randomBytes(Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length),
};

export function ec2Id(ids: IdSource, prefix: string): string {
  return `${prefix}-${ids.hex(17)}`;
}
