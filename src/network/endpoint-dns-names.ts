/**
 * The DNS names of an interface endpoint, as AWS forms them: a regional name
 * `vpce-<id>-<8 chars>.<service>.<region>.vpce.amazonaws.com`, one zonal name per subnet
 * `vpce-<id>-<8 chars>-<az>.<service>.<region>.vpce.amazonaws.com`, and (with private DNS) the
 * service's private DNS names. Also the loopback addresses batchlink gives each endpoint network
 * interface (127.100.x.y) and each VPC's resolver (127.53.x.y), allocated lowest-free.
 */
import { createHash } from 'node:crypto';
import type { EndpointNetworkInterface, VpcEndpoint } from './endpoint-model.js';
import type { EndpointService } from './endpoint-services.js';

export interface DnsEntry {
  dnsName: string;
  hostedZoneId: string;
}

/** Route 53 hosted zones of `<region>.vpce.amazonaws.com` (AWS publishes these per region). */
const VPCE_ZONES: Record<string, string> = {
  'us-east-1': 'Z7HUB22UULQXV',
  'us-east-2': 'ZC8PG0KIFKBRI',
  'us-west-1': 'Z12I86A8N7VCZO',
  'us-west-2': 'Z1YSA3EXCYUU9Z',
};

function zoneIdFrom(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let out = 'Z';
  for (let i = 0; i < 20; i++) out += alphabet[(digest[i] ?? 0) % alphabet.length];
  return out;
}

export function vpceHostedZoneId(region: string): string {
  return VPCE_ZONES[region] ?? zoneIdFrom(`vpce:${region}`).slice(0, 14);
}

/** The endpoint-specific names: regional first, then one per interface in subnet order. */
export function endpointSpecificNames(
  endpoint: VpcEndpoint,
  service: EndpointService,
  interfaces: EndpointNetworkInterface[],
): Array<{ dnsName: string; availabilityZone?: string }> {
  const base = `${endpoint.vpcEndpointId}-${endpoint.dnsId}`;
  const names: Array<{ dnsName: string; availabilityZone?: string }> = [{ dnsName: `${base}.${service.baseEndpointDnsName}` }];
  for (const subnetId of endpoint.subnetIds) {
    const eni = interfaces.find((candidate) => candidate.subnetId === subnetId);
    if (eni)
      names.push({ dnsName: `${base}-${eni.availabilityZone}.${service.baseEndpointDnsName}`, availabilityZone: eni.availabilityZone });
  }
  return names;
}

/** The DnsEntries of DescribeVpcEndpoints (Interface endpoints only). */
export function dnsEntriesOf(
  endpoint: VpcEndpoint,
  service: EndpointService | undefined,
  interfaces: EndpointNetworkInterface[],
): DnsEntry[] {
  if (!service || endpoint.vpcEndpointType !== 'Interface') return [];
  const regionalZone = vpceHostedZoneId(service.region);
  const entries: DnsEntry[] = endpointSpecificNames(endpoint, service, interfaces).map((name) => ({
    dnsName: name.dnsName,
    hostedZoneId: regionalZone,
  }));
  if (endpoint.privateDnsEnabled) {
    const privateZone = zoneIdFrom(`phz:${endpoint.vpcEndpointId}`);
    for (const name of service.privateDnsNames) entries.push({ dnsName: name, hostedZoneId: privateZone });
  }
  return entries;
}

function formatLoopback(second: number, index: number): string {
  // index 0.. -> third octet index/254, fourth octet 1..254
  return `127.${second}.${Math.floor(index / 254)}.${(index % 254) + 1}`;
}

/** The lowest free loopback address in 127.<second>.0.0/16 (skipping .0 and .255). */
export function lowestFreeLoopback(second: number, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let index = 0; index < 254 * 256; index++) {
    const candidate = formatLoopback(second, index);
    if (!used.has(candidate)) return candidate;
  }
  throw new Error(`no free loopback address left in 127.${second}.0.0/16`);
}

export const INTERFACE_LOOPBACK_OCTET = 100;
export const RESOLVER_LOOPBACK_OCTET = 53;
