/**
 * Unit tests of the endpoint-service catalog: names per partition, where Batch is offered,
 * private DNS names, Gateway and Interface flavours.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointServicesIn, findEndpointService } from './endpoint-services.js';

test('Batch is an Interface service with private DNS names batch.<region>.amazonaws.com and .api.aws', () => {
  const batch = findEndpointService('eu-west-1', 'com.amazonaws.eu-west-1.batch');
  assert.equal(batch?.serviceType, 'Interface');
  assert.deepEqual(batch?.privateDnsNames, ['batch.eu-west-1.amazonaws.com', 'batch.eu-west-1.api.aws']);
  assert.equal(batch?.signingName, 'batch');
  assert.equal(batch?.policySupported, true);
});

test('Batch is not offered in ap-northeast-3 and ap-southeast-3', () => {
  for (const region of ['ap-northeast-3', 'ap-southeast-3']) {
    assert.equal(findEndpointService(region, `com.amazonaws.${region}.batch`), undefined, region);
    assert.ok(findEndpointService(region, `com.amazonaws.${region}.logs`), `${region} still has logs`);
  }
});

test('China regions use cn.com.amazonaws names and the amazonaws.com.cn suffix', () => {
  const batch = findEndpointService('cn-northwest-1', 'cn.com.amazonaws.cn-northwest-1.batch');
  assert.equal(batch?.privateDnsName, 'batch.cn-northwest-1.amazonaws.com.cn');
  assert.equal(batch?.baseEndpointDnsName, 'batch.cn-northwest-1.vpce.amazonaws.com.cn');
  assert.equal(findEndpointService('cn-north-1', 'com.amazonaws.cn-north-1.batch'), undefined);
});

test('a service name for another Region is not found', () => {
  assert.equal(findEndpointService('us-east-1', 'com.amazonaws.us-west-2.batch'), undefined);
});

test('S3 and DynamoDB have Gateway and Interface services; without a type the Gateway is chosen', () => {
  assert.equal(findEndpointService('us-east-1', 'com.amazonaws.us-east-1.s3')?.serviceType, 'Gateway');
  assert.equal(findEndpointService('us-east-1', 'com.amazonaws.us-east-1.s3', 'Interface')?.serviceType, 'Interface');
  const types = endpointServicesIn('us-east-1')
    .filter((s) => s.shortName === 'dynamodb')
    .map((s) => s.serviceType);
  assert.deepEqual(types, ['Gateway', 'Interface']);
});

test('batch-fips exists only in the US Regions and skips the constrained zone use1-az3', () => {
  const fips = findEndpointService('us-east-1', 'com.amazonaws.us-east-1.batch-fips');
  assert.equal(fips?.privateDnsName, 'fips.batch.us-east-1.amazonaws.com');
  assert.ok(!fips?.availabilityZones.includes('us-east-1c'));
  assert.equal(findEndpointService('eu-west-1', 'com.amazonaws.eu-west-1.batch-fips'), undefined);
});
