import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateSubnetCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeRegionsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { signedSend } from '../../helpers/signed-request.js';
import { newVpc, rejects, startEc2 } from './ec2-test-kit.js';
import type { Ec2Kit } from './ec2-test-kit.js';

let kit: Ec2Kit;
let ec2: EC2Client;
before(async () => {
  kit = await startEc2();
  ec2 = kit.ec2;
});
after(() => kit.close());

test('CreateTags / DescribeTags / DeleteTags: tag a VPC and a subnet, filter, then delete by key and by value', async () => {
  const vpcId = await newVpc(ec2, '10.30.0.0/16');
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.30.1.0/24' }));
  const subnetId = Subnet?.SubnetId ?? '';
  await ec2.send(
    new CreateTagsCommand({
      Resources: [vpcId, subnetId],
      Tags: [
        { Key: 'env', Value: 'test' },
        { Key: 'owner', Value: 'ops' },
      ],
    }),
  );
  const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [vpcId, subnetId] }] }));
  assert.deepEqual(
    tags.Tags?.map((t) => [t.ResourceId, t.ResourceType, t.Key, t.Value]).sort(),
    [
      [subnetId, 'subnet', 'env', 'test'],
      [subnetId, 'subnet', 'owner', 'ops'],
      [vpcId, 'vpc', 'env', 'test'],
      [vpcId, 'vpc', 'owner', 'ops'],
    ].sort(),
  );
  const vpcOnly = await ec2.send(
    new DescribeTagsCommand({
      Filters: [
        { Name: 'resource-type', Values: ['vpc'] },
        { Name: 'key', Values: ['own*'] },
      ],
    }),
  );
  assert.deepEqual(
    vpcOnly.Tags?.map((t) => t.ResourceId),
    [vpcId],
  );
  await ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'env' }] }));
  await ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'owner', Value: 'someone-else' }] }));
  const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
  assert.deepEqual(vpc?.Tags, [{ Key: 'owner', Value: 'ops' }]);
  await ec2.send(new DeleteTagsCommand({ Resources: [subnetId] }));
  const subnetTags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [subnetId] }] }));
  assert.deepEqual(subnetTags.Tags, []);
});

test('CreateTags: refuses an unknown id, an id of an unknown kind, and aws: keys', async () => {
  await rejects(
    ec2.send(new CreateTagsCommand({ Resources: ['vpc-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })),
    'InvalidVpcID.NotFound',
    "The vpc ID 'vpc-0123456789abcdef0' does not exist",
  );
  await rejects(
    ec2.send(new CreateTagsCommand({ Resources: ['bucket-1'], Tags: [{ Key: 'a', Value: 'b' }] })),
    'InvalidID',
    "The ID 'bucket-1' is not valid",
  );
  const vpcId = await newVpc(ec2);
  await rejects(ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'aws:x', Value: 'b' }] })), 'InvalidParameterValue');
});

test('TagSpecifications: a resource type that does not match the operation is refused', async () => {
  await rejects(
    ec2.send(
      new CreateSubnetCommand({
        VpcId: await newVpc(ec2),
        CidrBlock: '10.250.0.0/24',
        TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'a', Value: 'b' }] }],
      }),
    ),
    'InvalidParameterValue',
    "'vpc' is not a valid taggable resource type for this operation.",
  );
});

test('DescribeRegions: lists every commercial region with its endpoint; a cn- caller sees the China partition', async () => {
  const { Regions } = await ec2.send(new DescribeRegionsCommand({}));
  const names = Regions?.map((r) => r.RegionName) ?? [];
  for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'af-south-1']) assert.ok(names.includes(region), region);
  assert.ok(!names.some((n) => n?.startsWith('cn-')));
  assert.equal(Regions?.find((r) => r.RegionName === 'us-east-1')?.Endpoint, 'ec2.us-east-1.amazonaws.com');
  assert.equal(Regions?.find((r) => r.RegionName === 'us-east-1')?.OptInStatus, 'opt-in-not-required');
  const china = new EC2Client({ ...kit.server.clientConfig, region: 'cn-north-1' });
  try {
    const cn = await china.send(new DescribeRegionsCommand({}));
    assert.deepEqual(
      cn.Regions?.map((r) => [r.RegionName, r.Endpoint]),
      [
        ['cn-north-1', 'ec2.cn-north-1.amazonaws.com.cn'],
        ['cn-northwest-1', 'ec2.cn-northwest-1.amazonaws.com.cn'],
      ],
    );
    const vpcId = await newVpc(china, '10.31.0.0/16');
    const { Subnet } = await china.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.31.0.0/24' }));
    assert.match(Subnet?.SubnetArn ?? '', /^arn:aws-cn:ec2:cn-north-1:/);
  } finally {
    china.destroy();
  }
  const filtered = await ec2.send(new DescribeRegionsCommand({ RegionNames: ['eu-west-1'] }));
  assert.deepEqual(
    filtered.Regions?.map((r) => r.RegionName),
    ['eu-west-1'],
  );
});

test('DescribeAvailabilityZones: lists the caller region zones with their ids, and filters by name', async () => {
  const { AvailabilityZones } = await ec2.send(new DescribeAvailabilityZonesCommand({}));
  assert.deepEqual(
    AvailabilityZones?.map((z) => z.ZoneName),
    ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'],
  );
  assert.deepEqual(
    [AvailabilityZones?.[0]?.ZoneId, AvailabilityZones?.[0]?.State, AvailabilityZones?.[0]?.RegionName],
    ['use1-az1', 'available', 'us-east-1'],
  );
  const one = await ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-name', Values: ['us-east-1c'] }] }));
  assert.deepEqual(
    one.AvailabilityZones?.map((z) => z.ZoneName),
    ['us-east-1c'],
  );
  await rejects(
    ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1z'] })),
    'InvalidParameterValue',
    'Invalid availability zone: [us-east-1z]',
  );
});

test('EC2 query protocol: an unknown Action is InvalidAction in the EC2 error document with the request id header', async () => {
  const response = await signedSend({
    url: kit.server.app.url,
    path: '/',
    service: 'ec2',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=RunInstances&Version=2016-11-15',
  });
  assert.equal(response.status, 400);
  const requestId = String(response.headers['x-amzn-requestid']);
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  assert.match(
    response.body,
    /<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action RunInstances is not valid for this web service\.<\/Message><\/Error><\/Errors><RequestID>([0-9a-f-]{36})<\/RequestID><\/Response>/,
  );
  assert.ok(response.body.includes(`<RequestID>${requestId}</RequestID>`));
});

test('EC2 query protocol: a form body with a charset parameter answers XML in the EC2 namespace', async () => {
  const response = await signedSend({
    url: kit.server.app.url,
    path: '/',
    service: 'ec2',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=DescribeAvailabilityZones&Version=2016-11-15&ZoneName.1=us-east-1a',
  });
  assert.equal(response.status, 200);
  assert.match(
    response.body,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeAvailabilityZonesResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>/,
  );
  assert.match(response.body, /<availabilityZoneInfo><item><zoneName>us-east-1a<\/zoneName>/);
});
