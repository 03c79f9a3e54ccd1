/**
 * What a VPC's Amazon-provided DNS resolver answers (pure: name -> addresses for one VPC).
 * The service's private DNS names (`batch.<region>.amazonaws.com`, `batch.<region>.api.aws`)
 * answer the endpoint's interface addresses when the VPC has an available endpoint with private
 * DNS; otherwise the public name answers the gateway. Endpoint-specific `vpce-…` names (public
 * in AWS) answer the interfaces, the zonal one only its zone's. Other names: NXDOMAIN.
 */
import { endpointSpecificNames } from './endpoint-dns-names.js';
import type { EndpointNetworkInterface, VpcEndpoint } from './endpoint-model.js';
import { isKnownRegion } from '../core/regions.js';
import { endpointServicesIn } from './endpoint-services.js';
import type { EndpointService } from './endpoint-services.js';

export interface ResolvableEndpoint {
  region: string;
  endpoint: VpcEndpoint;
  service: EndpointService | undefined;
  interfaces: EndpointNetworkInterface[];
}

export interface ResolverInput {
  /** The VPC whose resolver was asked, and its Region. */
  vpcId: string;
  region: string;
  enableDnsSupport: boolean;
  /** Every endpoint batchlink knows (vpce- names are public); private names use this VPC's only. */
  endpoints: ResolvableEndpoint[];
  /** The address of batchlink's gateway listener (the "public" service endpoint). */
  gatewayAddress: string;
  /** Signing names of the services batchlink serves on the gateway (batch, logs, ec2, sts, iam). */
  servedServices: ReadonlySet<string>;
}

export type Resolution = { rcode: 'NOERROR'; addresses: string[]; via: string } | { rcode: 'NXDOMAIN' | 'REFUSED' };

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** `*.s3.us-east-1.amazonaws.com` matches one or more labels in place of `*`. */
function nameMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1;
  return pattern === name;
}

function addressesOf(interfaces: EndpointNetworkInterface[]): string[] {
  return interfaces.map((eni) => eni.listenAddress);
}

/** Global services answer without a Region in the name. */
const GLOBAL_NAMES: Record<string, string> = { 'iam.amazonaws.com': 'iam', 'sts.amazonaws.com': 'sts', 'iam.amazonaws.com.cn': 'iam' };

export function resolveInVpc(query: string, input: ResolverInput): Resolution {
  if (!input.enableDnsSupport) return { rcode: 'REFUSED' };
  const name = normalize(query);
  for (const item of input.endpoints) {
    if (!item.service || item.endpoint.vpcEndpointType !== 'Interface' || item.endpoint.state !== 'available') continue;
    for (const specific of endpointSpecificNames(item.endpoint, item.service, item.interfaces)) {
      if (specific.dnsName !== name) continue;
      const interfaces = specific.availabilityZone
        ? item.interfaces.filter((eni) => eni.availabilityZone === specific.availabilityZone)
        : item.interfaces;
      return { rcode: 'NOERROR', addresses: addressesOf(interfaces), via: `endpoint ${item.endpoint.vpcEndpointId}` };
    }
  }
  for (const item of input.endpoints) {
    const { endpoint, service } = item;
    if (!service || endpoint.vpcId !== input.vpcId || item.region !== input.region) continue;
    if (endpoint.vpcEndpointType !== 'Interface' || !endpoint.privateDnsEnabled || endpoint.state !== 'available') continue;
    if (service.privateDnsNames.some((pattern) => nameMatches(pattern, name))) {
      return { rcode: 'NOERROR', addresses: addressesOf(item.interfaces), via: `private DNS of ${endpoint.vpcEndpointId}` };
    }
  }
  const global = GLOBAL_NAMES[name];
  if (global && input.servedServices.has(global)) return { rcode: 'NOERROR', addresses: [input.gatewayAddress], via: 'gateway' };
  for (const service of endpointServicesIn(input.region)) {
    if (!input.servedServices.has(service.signingName)) continue;
    if (service.privateDnsNames.some((pattern) => nameMatches(pattern, name))) {
      return { rcode: 'NOERROR', addresses: [input.gatewayAddress], via: 'gateway' };
    }
  }
  const generic = /^([a-z0-9-]+)\.([a-z0-9-]+)\.(amazonaws\.com|api\.aws|amazonaws\.com\.cn)$/.exec(name);
  if (generic && input.servedServices.has(generic[1] ?? '') && isKnownRegion(generic[2] ?? '')) {
    return { rcode: 'NOERROR', addresses: [input.gatewayAddress], via: 'gateway' };
  }
  return { rcode: 'NXDOMAIN' };
}
