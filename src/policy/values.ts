/**
 * Typed condition values: numbers, dates (W3C ISO 8601 profiles and epoch seconds) and IP
 * ranges (IPv4/IPv6 CIDR; a bare address means /32 or /128), as IAM's condition operators read
 * them. Parsers return undefined for text that is not a value of the type.
 */
import { BlockList, isIP } from 'node:net';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !NUMBER.test(value.trim())) return undefined;
  return Number(value.trim());
}

// YYYY | YYYY-MM | YYYY-MM-DD | YYYY-MM-DDThh:mm[:ss[.s+]]TZD (a missing TZD is read as UTC).
const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
const EPOCH = /^\d+(?:\.\d+)?$/;

/** Epoch milliseconds of an ISO 8601 date or an epoch-seconds value. */
export function parseDate(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (EPOCH.test(text) && text.length !== 4) return Number(text) * 1000;
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '', tz = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    return undefined;
  }
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), frac ? Math.round(Number(`0${frac}`) * 1000) : 0);
  if (tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** A set of CIDR ranges; `contains` answers for one address of either family. */
export class IpRanges {
  private readonly list = new BlockList();

  /** Returns false when `cidr` is not an IPv4/IPv6 address or CIDR block. */
  add(cidr: string): boolean {
    const [address = '', prefix, extra] = cidr.trim().split('/');
    if (extra !== undefined) return false;
    const family = isIP(address);
    if (family === 0) return false;
    const max = family === 4 ? 32 : 128;
    const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= max)) return false;
    this.list.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
    return true;
  }

  contains(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
