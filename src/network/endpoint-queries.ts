/**
 * The read side of VPC endpoints: DescribeVpcEndpoints, DescribeNetworkInterfaces (the
 * endpoints' requester-managed interfaces) and DescribeVpcEndpointServices, with AWS's filter
 * names, NotFound errors for unknown ids, and NextToken pagination.
 */
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import { checkIdFormat, endpointNotFound, serviceNotFound } from './endpoint-checks.js';
import type { EndpointNetworkInterface, VpcEndpoint } from './endpoint-model.js';
import { endpointServicesIn, zonesOf } from './endpoint-services.js';
import type { EndpointService } from './endpoint-services.js';
import { applyFilters } from './filters.js';
import type { FilterFields } from './filters.js';
import type { Filter, Tag } from './model.js';
import { paginate } from './paging.js';
import type { Page, PageLimits } from './paging.js';
import type { VpcEndpoints } from './vpc-endpoints.js';

export interface DescribeRequest {
  ids?: string[];
  filters?: Filter[];
  maxResults?: number;
  nextToken?: string;
}

const ENDPOINT_FIELDS: FilterFields<VpcEndpoint> = {
  'service-name': (e) => e.serviceName,
  'vpc-id': (e) => e.vpcId,
  'vpc-endpoint-id': (e) => e.vpcEndpointId,
  'vpc-endpoint-state': (e) => e.state,
  'vpc-endpoint-type': (e) => e.vpcEndpointType,
  'ip-address-type': () => 'ipv4',
};

const INTERFACE_FIELDS: FilterFields<EndpointNetworkInterface> = {
  'network-interface-id': (n) => n.networkInterfaceId,
  'subnet-id': (n) => n.subnetId,
  'vpc-id': (n) => n.vpcId,
  'availability-zone': (n) => n.availabilityZone,
  'interface-type': () => 'vpc_endpoint',
  'requester-managed': () => 'true',
  'requester-id': () => 'amazon-aws',
  status: () => 'in-use',
  description: (n) => interfaceDescription(n),
  'group-id': (n) => n.groupIds,
  'private-ip-address': (n) => n.privateIpAddress,
  'addresses.private-ip-address': (n) => n.privateIpAddress,
  'addresses.primary': () => 'true',
  'mac-address': (n) => n.macAddress,
  'owner-id': (n) => n.ownerId,
  'source-dest-check': () => 'true',
};

type TaggedService = EndpointService & { tags: Tag[] };

const SERVICE_FIELDS: FilterFields<TaggedService> = {
  'service-name': (s) => s.serviceName,
  'service-type': (s) => s.serviceType,
  owner: () => 'amazon',
  'service-region': (s) => s.region,
  'supported-ip-address-types': () => 'ipv4',
};

/** One page of a describe call's list (these calls read an empty NextToken as none). */
function pageOf<T>(items: T[], request: DescribeRequest, limits: PageLimits): Page<T> {
  return paginate(items, { maxResults: request.maxResults, nextToken: request.nextToken || undefined, limits });
}

export function interfaceDescription(eni: EndpointNetworkInterface): string {
  return `VPC Endpoint Interface ${eni.vpcEndpointId}`;
}

export function describeVpcEndpoints(domain: VpcEndpoints, scope: Scope, request: DescribeRequest): Page<VpcEndpoint> {
  let endpoints = domain.listVisible(scope);
  if (request.ids && request.ids.length > 0) {
    for (const id of request.ids) checkIdFormat('vpce', id);
    const missing = request.ids.filter((id) => !endpoints.some((endpoint) => endpoint.vpcEndpointId === id));
    if (missing.length > 0) throw endpointNotFound(missing.join(', '));
    const wanted = new Set(request.ids);
    endpoints = endpoints.filter((endpoint) => wanted.has(endpoint.vpcEndpointId));
  }
  endpoints = applyFilters(endpoints, request.filters ?? [], ENDPOINT_FIELDS);
  return pageOf(endpoints, request, { min: 1, max: 1000, clampAboveMax: true });
}

export function describeEndpointInterfaces(domain: VpcEndpoints, scope: Scope, request: DescribeRequest): Page<EndpointNetworkInterface> {
  let interfaces = domain.allInterfaces(scope);
  if (request.ids && request.ids.length > 0) {
    for (const id of request.ids) checkIdFormat('eni', id);
    const missing = request.ids.filter((id) => !interfaces.some((eni) => eni.networkInterfaceId === id));
    if (missing.length > 0) {
      throw new ApiError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${missing.join(', ')}' does not exist`);
    }
    const wanted = new Set(request.ids);
    interfaces = interfaces.filter((eni) => wanted.has(eni.networkInterfaceId));
  }
  interfaces = applyFilters(interfaces, request.filters ?? [], INTERFACE_FIELDS);
  return pageOf(interfaces, request, { min: 5, max: 1000 });
}

export interface ServicesPage extends Page<EndpointService> {
  /** ServiceNames lists each name once (S3 and DynamoDB have a Gateway and an Interface service). */
  serviceNames: string[];
}

export function describeEndpointServices(region: string, request: DescribeRequest): ServicesPage {
  let services: TaggedService[] = endpointServicesIn(region).map((service) => ({ ...service, tags: [] }));
  if (request.ids && request.ids.length > 0) {
    for (const name of request.ids) if (!services.some((service) => service.serviceName === name)) throw serviceNotFound(name);
    const wanted = new Set(request.ids);
    services = services.filter((service) => wanted.has(service.serviceName));
  }
  services = applyFilters(services, request.filters ?? [], SERVICE_FIELDS);
  const page = pageOf(services, request, { min: 5, max: 1000 });
  const items = page.items.map(({ tags: _tags, ...service }) => service);
  return { ...page, items, serviceNames: [...new Set(items.map((service) => service.serviceName))] };
}

export { zonesOf };
