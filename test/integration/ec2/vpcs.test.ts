import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import type { TestServer } from '../../helpers/server.js';
import { newVpc as newVpcIn, rejects, startEc2 } from './ec2-test-kit.js';
import type { Ec2Kit } from './ec2-test-kit.js';

let kit: Ec2Kit;
let server: TestServer;
let ec2: EC2Client;

before(async () => {
  kit = await startEc2();
  ({ server, ec2 } = kit);
});
after(() => kit.close());

const newVpc = (cidr?: string) => newVpcIn(ec2, cidr);

test('CreateVpc: returns the VPC with its CIDR association and tags, and DescribeVpcs finds it', async () => {
  const created = await ec2.send(
    new CreateVpcCommand({
      CidrBlock: '10.1.0.0/16',
      TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'main <&>' }] }],
    }),
  );
  const vpc = created.Vpc;
  assert.match(vpc?.VpcId ?? '', /^vpc-[0-9a-f]{17}$/);
  assert.equal(vpc?.CidrBlock, '10.1.0.0/16');
  assert.equal(vpc?.IsDefault, false);
  assert.match(vpc?.OwnerId ?? '', /^\d{12}$/);
  assert.equal(vpc?.CidrBlockAssociationSet?.[0]?.CidrBlockState?.State, 'associated');
  assert.deepEqual(vpc?.Tags, [{ Key: 'Name', Value: 'main <&>' }]);
  const described = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc?.VpcId ?? ''] }));
  assert.equal(described.Vpcs?.length, 1);
  assert.equal(described.Vpcs?.[0]?.State, 'available');
  assert.match(described.Vpcs?.[0]?.DhcpOptionsId ?? '', /^dopt-/);
});

test('CreateVpc: gives the VPC a default security group and a main route table with the local route', async () => {
  const vpcId = await newVpc('10.2.0.0/16');
  const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  assert.equal(groups.SecurityGroups?.length, 1);
  const group = groups.SecurityGroups?.[0];
  assert.equal(group?.GroupName, 'default');
  assert.equal(group?.Description, 'default VPC security group');
  assert.equal(group?.IpPermissions?.[0]?.UserIdGroupPairs?.[0]?.GroupId, group?.GroupId);
  assert.equal(group?.IpPermissionsEgress?.[0]?.IpRanges?.[0]?.CidrIp, '0.0.0.0/0');
  const tables = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'association.main', Values: ['true'] },
      ],
    }),
  );
  assert.equal(tables.RouteTables?.length, 1);
  assert.deepEqual(
    tables.RouteTables?.[0]?.Routes?.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.State]),
    [['10.2.0.0/16', 'local', 'active']],
  );
});

test('CreateVpc: DNS support defaults on and DNS hostnames off; ModifyVpcAttribute changes one at a time', async () => {
  const vpcId = await newVpc('10.3.0.0/16');
  const support = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' }));
  assert.equal(support.EnableDnsSupport?.Value, true);
  const hostnames = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }));
  assert.equal(hostnames.EnableDnsHostnames?.Value, false);
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const after = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }));
  assert.equal(after.EnableDnsHostnames?.Value, true);
  assert.equal(after.VpcId, vpcId);
  await rejects(
    ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true }, EnableDnsSupport: { Value: true } })),
    'InvalidParameterCombination',
  );
});

test('CreateVpc: refuses a prefix outside /16../28 with InvalidVpc.Range and a malformed CIDR with InvalidParameterValue', async () => {
  await rejects(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })), 'InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid.");
  await rejects(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/29' })), 'InvalidVpc.Range', "The CIDR '10.0.0.0/29' is invalid.");
  await rejects(
    ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.300/16' })),
    'InvalidParameterValue',
    'Value (10.0.0.300/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.',
  );
});

test('CreateVpc: DryRun answers DryRunOperation and creates nothing', async () => {
  const before = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length ?? 0;
  await rejects(
    ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16', DryRun: true })),
    'DryRunOperation',
    'Request would have succeeded, but DryRun flag is set.',
  );
  assert.equal((await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length, before);
});

test('DescribeVpcs: an unknown id fails with InvalidVpcID.NotFound and AWS message', async () => {
  await rejects(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-123'] })), 'InvalidVpcID.NotFound', "The vpc ID 'vpc-123' does not exist");
});

test('DescribeVpcs: filters by cidr, tag:Key with wildcards, tag-key, and refuses unknown filters', async () => {
  const tagged = await ec2.send(
    new CreateVpcCommand({
      CidrBlock: '10.4.0.0/16',
      TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'team', Value: 'batch-prod' }] }],
    }),
  );
  const id = tagged.Vpc?.VpcId;
  const byTag = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:team', Values: ['batch-*'] }] }));
  assert.deepEqual(
    byTag.Vpcs?.map((v) => v.VpcId),
    [id],
  );
  const byKey = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag-key', Values: ['te?m'] }] }));
  assert.deepEqual(
    byKey.Vpcs?.map((v) => v.VpcId),
    [id],
  );
  const byCidr = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: ['10.4.0.0/16'] }] }));
  assert.deepEqual(
    byCidr.Vpcs?.map((v) => v.VpcId),
    [id],
  );
  const none = await ec2.send(
    new DescribeVpcsCommand({
      Filters: [
        { Name: 'cidr', Values: ['10.4.0.0/16'] },
        { Name: 'is-default', Values: ['true'] },
      ],
    }),
  );
  assert.deepEqual(none.Vpcs, []);
  await rejects(
    ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })),
    'InvalidParameterValue',
    "The filter 'colour' is invalid",
  );
});

test('DescribeVpcs: pages with MaxResults/NextToken and refuses MaxResults below 5', async () => {
  const all = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
  while (all.length < 7) all.push({ VpcId: await newVpc(`10.${100 + all.length}.0.0/16`) });
  const total = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length ?? 0;
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeVpcsCommand({ MaxResults: 5, NextToken: token }));
    assert.ok((page.Vpcs?.length ?? 0) <= 5);
    seen.push(...(page.Vpcs ?? []).map((v) => v.VpcId ?? ''));
    token = page.NextToken;
  } while (token);
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total);
  await rejects(
    ec2.send(new DescribeVpcsCommand({ MaxResults: 1 })),
    'InvalidParameterValue',
    'Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.',
  );
});

test('CreateSubnet: places the subnet in the VPC and zone, counting available addresses', async () => {
  const vpcId = await newVpc('10.5.0.0/16');
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.5.1.0/24', AvailabilityZone: 'us-east-1b' }));
  assert.match(Subnet?.SubnetId ?? '', /^subnet-[0-9a-f]{17}$/);
  assert.equal(Subnet?.AvailabilityZone, 'us-east-1b');
  assert.equal(Subnet?.AvailabilityZoneId, 'use1-az2');
  assert.equal(Subnet?.AvailableIpAddressCount, 251);
  assert.match(Subnet?.SubnetArn ?? '', /^arn:aws:ec2:us-east-1:\d{12}:subnet\/subnet-/);
  const listed = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  assert.deepEqual(
    listed.Subnets?.map((s) => [s.SubnetId, s.CidrBlock, s.State]),
    [[Subnet?.SubnetId, '10.5.1.0/24', 'available']],
  );
});

test('CreateSubnet: refuses a CIDR outside the VPC (InvalidSubnet.Range), overlapping (InvalidSubnet.Conflict), an unknown VPC and zone', async () => {
  const vpcId = await newVpc('10.6.0.0/16');
  await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.0.0/24' }));
  await rejects(
    ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.7.0.0/24' })),
    'InvalidSubnet.Range',
    "The CIDR '10.7.0.0/24' is invalid.",
  );
  await rejects(
    ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.0.128/25' })),
    'InvalidSubnet.Conflict',
    "The CIDR '10.6.0.128/25' conflicts with another subnet",
  );
  await rejects(
    ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-123', CidrBlock: '10.6.9.0/24' })),
    'InvalidVpcID.NotFound',
    "The vpc ID 'vpc-123' does not exist",
  );
  await rejects(
    ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.9.0/24', AvailabilityZone: 'us-east-1z' })),
    'InvalidParameterValue',
    /us-east-1z/,
  );
});

test('DeleteVpc: refuses while a subnet remains (DependencyViolation), then deletes with its default group', async () => {
  const vpcId = await newVpc('10.8.0.0/16');
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.8.0.0/24' }));
  await rejects(
    ec2.send(new DeleteVpcCommand({ VpcId: vpcId })),
    'DependencyViolation',
    `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
  );
  await ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet?.SubnetId ?? '' }));
  await rejects(
    ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet?.SubnetId ?? '' })),
    'InvalidSubnetID.NotFound',
    `The subnet ID '${Subnet?.SubnetId}' does not exist`,
  );
  await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  await rejects(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })), 'InvalidVpcID.NotFound');
  const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  assert.deepEqual(groups.SecurityGroups, []);
});

test('VPCs are isolated per region: another region does not see them', async () => {
  const vpcId = await newVpc('10.10.0.0/16');
  const west = new EC2Client({ ...server.clientConfig, region: 'us-west-2' });
  try {
    await rejects(west.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })), 'InvalidVpcID.NotFound');
  } finally {
    west.destroy();
  }
});
