/**
 * Plugs VPC endpoints into the network domain's extension points: a VPC, subnet or security
 * group in use by an endpoint cannot be deleted (DependencyViolation), and endpoints (`vpce-`)
 * and their network interfaces (`eni-`) are taggable with CreateTags / DeleteTags / DescribeTags.
 */
import { ApiError } from '../core/errors.js';
import type { DocumentRepository } from '../core/repository.js';
import { endpointNotFound } from './endpoint-checks.js';
import type { EndpointNetworkInterface, VpcEndpoint } from './endpoint-model.js';
import type { Tagged } from './model.js';
import type { NetworkHooks } from './network-deps.js';

export function registerEndpointHooks(
  hooks: NetworkHooks,
  endpoints: DocumentRepository<VpcEndpoint>,
  interfaces: DocumentRepository<EndpointNetworkInterface>,
): void {
  const live = (scope: Parameters<typeof endpoints.list>[0]) => endpoints.list(scope).filter((endpoint) => endpoint.state !== 'deleted');
  hooks.addDependencyCheck('vpc', (scope, vpcId) => live(scope).some((endpoint) => endpoint.vpcId === vpcId));
  hooks.addDependencyCheck('subnet', (scope, subnetId) => live(scope).some((endpoint) => endpoint.subnetIds.includes(subnetId)));
  hooks.addDependencyCheck('security-group', (scope, groupId) => live(scope).some((endpoint) => endpoint.groupIds.includes(groupId)));
  hooks.registerTaggable({
    prefix: 'vpce-',
    resourceType: 'vpc-endpoint',
    repository: endpoints as unknown as DocumentRepository<Tagged>, // VpcEndpoint carries `tags`
    idOf: (resource) => (resource as unknown as VpcEndpoint).vpcEndpointId,
    notFound: endpointNotFound,
  });
  hooks.registerTaggable({
    prefix: 'eni-',
    resourceType: 'network-interface',
    repository: interfaces as unknown as DocumentRepository<Tagged>, // EndpointNetworkInterface carries `tags`
    idOf: (resource) => (resource as unknown as EndpointNetworkInterface).networkInterfaceId,
    notFound: (id) => new ApiError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`),
  });
}
