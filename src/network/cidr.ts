/**
 * IPv4 address and CIDR arithmetic for VPCs and subnets: parsing (strict dotted quads, prefix
 * 0..32), the network address, containment, overlap, and address enumeration. Addresses are
 * unsigned 32-bit numbers.
 */

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

/** `10.0.0.1` -> 167772161, or undefined when the text is not a dotted-quad IPv4 address. */
export function parseIp(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIp(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/n`; undefined when malformed. Host bits may be set (see `isNetworkAddress`). */
export function parseCidrLoose(text: string): { ip: number; prefix: number } | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  return { ip, prefix };
}

/** Parses a CIDR and normalizes it to its network address (AWS accepts host bits in VPC CIDRs and stores the network). */
export function parseCidr(text: string): Cidr | undefined {
  const loose = parseCidrLoose(text);
  if (!loose) return undefined;
  return { base: (loose.ip & maskOf(loose.prefix)) >>> 0, prefix: loose.prefix };
}

export function isNetworkAddress(text: string): boolean {
  const loose = parseCidrLoose(text);
  return loose !== undefined && (loose.ip & maskOf(loose.prefix)) >>> 0 === loose.ip;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.base)}/${cidr.prefix}`;
}

export function sizeOf(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function lastAddress(cidr: Cidr): number {
  return cidr.base + sizeOf(cidr) - 1;
}

export function containsIp(cidr: Cidr, ip: number): boolean {
  return ip >= cidr.base && ip <= lastAddress(cidr);
}

/** True when `inner` lies entirely within `outer`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && containsIp(outer, inner.base);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

/** AWS reserves the first four addresses and the last address of every subnet. */
export const RESERVED_PER_SUBNET = 5;

/** The addresses a subnet can hand out, in order (network+4 .. broadcast-1). */
export function* usableAddresses(cidr: Cidr): Generator<number> {
  for (let ip = cidr.base + 4; ip < lastAddress(cidr); ip++) yield ip;
}
