/**
 * Unit tests of the VPC resolver's answers: private DNS names, vpce- names (regional and
 * zonal), the gateway fallback, NXDOMAIN and REFUSED.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveInVpc } from './dns-resolver.js';
import type { ResolverInput } from './dns-resolver.js';
import type { EndpointNetworkInterface, VpcEndpoint } from './endpoint-model.js';
import { findEndpointService } from './endpoint-services.js';

const service = findEndpointService('us-east-1', 'com.amazonaws.us-east-1.batch', 'Interface');

function endpoint(overrides: Partial<VpcEndpoint> = {}): VpcEndpoint {
  return {
    vpcEndpointId: 'vpce-0123456789abcdef0',
    vpcEndpointType: 'Interface',
    vpcId: 'vpc-1',
    serviceName: 'com.amazonaws.us-east-1.batch',
    state: 'available',
    routeTableIds: [],
    subnetIds: ['subnet-a', 'subnet-b'],
    groupIds: [],
    privateDnsEnabled: true,
    networkInterfaceIds: ['eni-a', 'eni-b'],
    dnsId: 'abcd1234',
    creationTimestamp: 0,
    tags: [],
    ownerId: '000000000000',
    ...overrides,
  };
}

function eni(id: string, subnetId: string, zone: string, listenAddress: string): EndpointNetworkInterface {
  return {
    networkInterfaceId: id,
    vpcEndpointId: 'vpce-0123456789abcdef0',
    subnetId,
    vpcId: 'vpc-1',
    availabilityZone: zone,
    availabilityZoneId: '',
    privateIpAddress: '10.0.0.4',
    macAddress: '',
    groupIds: [],
    ownerId: '',
    tags: [],
    listenAddress,
  };
}

const interfaces = [eni('eni-a', 'subnet-a', 'us-east-1a', '127.100.0.1'), eni('eni-b', 'subnet-b', 'us-east-1b', '127.100.0.2')];

function input(overrides: Partial<ResolverInput> = {}, ep: VpcEndpoint = endpoint()): ResolverInput {
  return {
    vpcId: 'vpc-1',
    region: 'us-east-1',
    enableDnsSupport: true,
    endpoints: [{ region: 'us-east-1', endpoint: ep, service, interfaces }],
    gatewayAddress: '127.0.0.1',
    servedServices: new Set(['batch', 'logs', 'ec2', 'sts', 'iam']),
    ...overrides,
  };
}

test('the private DNS names answer the interface addresses in the endpoint VPC', () => {
  for (const name of ['batch.us-east-1.amazonaws.com', 'BATCH.us-east-1.amazonaws.com.', 'batch.us-east-1.api.aws']) {
    const answer = resolveInVpc(name, input());
    assert.equal(answer.rcode, 'NOERROR');
    assert.deepEqual(answer.rcode === 'NOERROR' && answer.addresses, ['127.100.0.1', '127.100.0.2'], name);
  }
});

test('another VPC, private DNS off, or an endpoint not yet available: the public name answers the gateway', () => {
  const cases: ResolverInput[] = [
    input({ vpcId: 'vpc-2' }),
    input({}, endpoint({ privateDnsEnabled: false })),
    input({}, endpoint({ state: 'pending' })),
    input({}, endpoint({ state: 'deleting' })),
  ];
  for (const item of cases)
    assert.deepEqual(resolveInVpc('batch.us-east-1.amazonaws.com', item), { rcode: 'NOERROR', addresses: ['127.0.0.1'], via: 'gateway' });
});

test('vpce- names answer the interfaces; the zonal name only its zone', () => {
  const regional = resolveInVpc('vpce-0123456789abcdef0-abcd1234.batch.us-east-1.vpce.amazonaws.com', input({ vpcId: 'vpc-other' }));
  assert.deepEqual(regional.rcode === 'NOERROR' && regional.addresses, ['127.100.0.1', '127.100.0.2']);
  const zonal = resolveInVpc('vpce-0123456789abcdef0-abcd1234-us-east-1b.batch.us-east-1.vpce.amazonaws.com', input());
  assert.deepEqual(zonal.rcode === 'NOERROR' && zonal.addresses, ['127.100.0.2']);
});

test('unknown names are NXDOMAIN; a VPC without DNS support is REFUSED', () => {
  assert.equal(resolveInVpc('example.com', input()).rcode, 'NXDOMAIN');
  assert.equal(resolveInVpc('ecs.us-east-1.amazonaws.com', input()).rcode, 'NXDOMAIN', 'batchlink does not serve ECS');
  assert.equal(resolveInVpc('vpce-0123456789abcdef0-zzzz9999.batch.us-east-1.vpce.amazonaws.com', input()).rcode, 'NXDOMAIN');
  assert.equal(resolveInVpc('batch.us-east-1.amazonaws.com', input({ enableDnsSupport: false })).rcode, 'REFUSED');
});

test('served services without an endpoint answer the gateway, in any Region and for global names', () => {
  for (const name of ['logs.us-east-1.amazonaws.com', 'batch.ap-northeast-3.amazonaws.com', 'sts.amazonaws.com', 'iam.amazonaws.com']) {
    assert.equal(resolveInVpc(name, input()).rcode, 'NOERROR', name);
  }
});
