import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../core/errors.js';
import { Ec2QueryCodec } from './ec2-query.js';
import type { HttpRequest } from './http.js';
import { parseQueryParams } from './query-form.js';
import { escapeXml, xmlDocument } from './xml.js';

function post(body: string, contentType = 'application/x-www-form-urlencoded; charset=utf-8'): HttpRequest {
  return { method: 'POST', rawPath: '/', rawQuery: '', query: [], headers: { 'content-type': contentType }, body: Buffer.from(body) };
}

const codec = new Ec2QueryCodec(['DescribeVpcs', 'CreateTags', 'AuthorizeSecurityGroupIngress']);

test('parseQueryParams: numeric segments become arrays in index order, names become structures', () => {
  const parsed = parseQueryParams([
    ['Filter.2.Name', 'b'],
    ['Filter.1.Name', 'a'],
    ['Filter.1.Value.2', 'y'],
    ['Filter.1.Value.1', 'x'],
    ['SubnetId.10', 's10'],
    ['SubnetId.2', 's2'],
    ['TagSpecification.1.Tag.1.Key', 'Name'],
    ['TagSpecification.1.ResourceType', 'vpc'],
  ]);
  assert.deepEqual(parsed, {
    Filter: [{ Name: 'a', Value: ['x', 'y'] }, { Name: 'b' }],
    SubnetId: ['s2', 's10'],
    TagSpecification: [{ Tag: [{ Key: 'Name' }], ResourceType: 'vpc' }],
  });
});

test('parseQueryParams: ignores prototype-polluting names and empty segments', () => {
  const parsed = parseQueryParams([
    ['__proto__.polluted', 'yes'],
    ['a..b', 'x'],
    ['Ok', '1'],
  ]);
  assert.deepEqual(parsed, { Ok: '1' });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('decode: reads a form body with a charset parameter and keeps nested EC2 names', () => {
  const decoded = codec.decode(
    post(
      'Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&GroupId=sg-1&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0%2F8&IpPermissions.1.IpRanges.1.Description=a+b',
    ),
  );
  assert.equal(decoded.operation, 'AuthorizeSecurityGroupIngress');
  assert.deepEqual(decoded.input, {
    GroupId: 'sg-1',
    IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'a b' }] }],
  });
});

test('decode: accepts the same parameters as a GET query', () => {
  const request: HttpRequest = {
    method: 'GET',
    rawPath: '/',
    rawQuery: '',
    query: [
      ['Action', 'DescribeVpcs'],
      ['VpcId.1', 'vpc-1'],
    ],
    headers: {},
    body: Buffer.alloc(0),
  };
  assert.deepEqual(codec.decode(request), { operation: 'DescribeVpcs', input: { VpcId: ['vpc-1'] } });
});

test('decode: refuses an unknown action with InvalidAction and AWS message', () => {
  assert.throws(
    () => codec.decode(post('Action=RunInstances&Version=2016-11-15')),
    (error: unknown) =>
      error instanceof ApiError &&
      error.code === 'InvalidAction' &&
      error.message === 'The action RunInstances is not valid for this web service.',
  );
});

test('encodeOutput: writes the namespace, requestId and item lists', () => {
  const response = codec.encodeOutput('DescribeVpcs', { vpcSet: [{ vpcId: 'vpc-1', isDefault: false, tagSet: [] }] }, 'req-1');
  assert.equal(response.status, 200);
  assert.equal(response.headers['x-amzn-requestid'], 'req-1');
  assert.match(
    String(response.body),
    /<DescribeVpcsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>req-1<\/requestId><vpcSet><item><vpcId>vpc-1<\/vpcId><isDefault>false<\/isDefault><tagSet><\/tagSet><\/item><\/vpcSet><\/DescribeVpcsResponse>/,
  );
});

test('encodeOutput: an empty output answers <return>true</return>', () => {
  assert.match(String(codec.encodeOutput('CreateTags', {}, 'r').body), /<return>true<\/return>/);
});

test('encodeError: writes Response/Errors/Error with escaped text and the request id header', () => {
  const response = codec.encodeError(new ApiError('InvalidVpcID.NotFound', "The vpc ID 'vpc-<1>' does not exist"), 'req-2');
  assert.equal(response.status, 400);
  assert.equal(response.headers['x-amzn-requestid'], 'req-2');
  assert.match(
    String(response.body),
    /<Response><Errors><Error><Code>InvalidVpcID\.NotFound<\/Code><Message>The vpc ID &apos;vpc-&lt;1&gt;&apos; does not exist<\/Message><\/Error><\/Errors><RequestID>req-2<\/RequestID><\/Response>/,
  );
});

test('xml: escapes markup characters and writes member lists for awsQuery', () => {
  assert.equal(escapeXml(`a&b<c>"d"'e'`), 'a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;');
  const doc = xmlDocument(
    'ListUsersResponse',
    'https://iam.amazonaws.com/doc/2010-05-08/',
    { ListUsersResult: { Users: [{ UserName: 'x' }], IsTruncated: false } },
    { listItem: 'member' },
  );
  assert.match(doc, /<Users><member><UserName>x<\/UserName><\/member><\/Users><IsTruncated>false<\/IsTruncated>/);
});
