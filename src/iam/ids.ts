/**
 * IAM identifier formats: unique ids are a 4-letter prefix (AIDA user, AROA role, ANPA policy,
 * AIPA instance profile) plus 17 upper-case base32 characters; access key ids are AKIA (long
 * term) or ASIA (temporary) plus 16; secrets are 40 characters of base64.
 */
import type { IdSource } from '../core/ids.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function fromHex(ids: IdSource, length: number, alphabet: string): string {
  const hex = ids.hex(length * 2);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % alphabet.length];
  return out;
}

export type UniqueIdPrefix = 'AIDA' | 'AROA' | 'ANPA' | 'AIPA';

export function uniqueId(ids: IdSource, prefix: UniqueIdPrefix): string {
  return prefix + fromHex(ids, 17, BASE32);
}

export function accessKeyId(ids: IdSource, temporary: boolean): string {
  return (temporary ? 'ASIA' : 'AKIA') + fromHex(ids, 16, BASE32);
}

export function secretAccessKey(ids: IdSource): string {
  return fromHex(ids, 40, BASE64);
}

/** An opaque session token, as long as AWS's (a few hundred base64 characters). */
export function sessionToken(ids: IdSource): string {
  return 'IQoJb3JpZ2luX2VjE' + fromHex(ids, 340, BASE64);
}
