import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
} from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { newVpc, rejects, startEc2 } from './ec2-test-kit.js';
import type { Ec2Kit } from './ec2-test-kit.js';

let kit: Ec2Kit;
let ec2: EC2Client;
before(async () => {
  kit = await startEc2();
  ec2 = kit.ec2;
});
after(() => kit.close());

async function newGateway() {
  const { InternetGateway } = await ec2.send(
    new CreateInternetGatewayCommand({ TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: [{ Key: 'Name', Value: 'igw' }] }] }),
  );
  assert.match(InternetGateway?.InternetGatewayId ?? '', /^igw-[0-9a-f]{17}$/);
  assert.deepEqual(InternetGateway?.Attachments, []);
  return InternetGateway?.InternetGatewayId ?? '';
}

async function newSubnet(vpcId: string, cidr: string) {
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr }));
  return Subnet?.SubnetId ?? '';
}

test('InternetGateway: attach, describe by attachment, refuse a second attach, detach and delete', async () => {
  const vpcId = await newVpc(ec2);
  const igw = await newGateway();
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const found = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }));
  assert.deepEqual(
    found.InternetGateways?.map((g) => [g.InternetGatewayId, g.Attachments?.[0]?.State, g.Tags?.[0]?.Value]),
    [[igw, 'available', 'igw']],
  );
  await rejects(
    ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId })),
    'Resource.AlreadyAssociated',
    `resource ${igw} is already attached to network ${vpcId}`,
  );
  await rejects(
    ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw })),
    'DependencyViolation',
    `The internetGateway '${igw}' has dependencies and cannot be deleted.`,
  );
  await rejects(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation');
  await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  await rejects(
    ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId })),
    'Gateway.NotAttached',
    `resource ${igw} is not attached to network ${vpcId}`,
  );
  await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }));
  await rejects(
    ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] })),
    'InvalidInternetGatewayID.NotFound',
    `The internetGateway ID '${igw}' does not exist`,
  );
  await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
});

test('RouteTable: create with the local route, add an internet route, associate a subnet, then undo it all', async () => {
  const vpcId = await newVpc(ec2, '10.20.0.0/16');
  const igw = await newGateway();
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const subnetId = await newSubnet(vpcId, '10.20.1.0/24');
  const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  const tableId = RouteTable?.RouteTableId ?? '';
  assert.match(tableId, /^rtb-[0-9a-f]{17}$/);
  assert.deepEqual(
    RouteTable?.Routes?.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.Origin]),
    [['10.20.0.0/16', 'local', 'CreateRouteTable']],
  );

  const created = await ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  assert.equal(created.Return, true);
  await rejects(
    ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })),
    'RouteAlreadyExists',
    'The route identified by 0.0.0.0/0 already exists.',
  );
  const { AssociationId } = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId: subnetId }));
  assert.match(AssociationId ?? '', /^rtbassoc-/);
  const other = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  await rejects(
    ec2.send(new AssociateRouteTableCommand({ RouteTableId: other.RouteTable?.RouteTableId ?? '', SubnetId: subnetId })),
    'Resource.AlreadyAssociated',
  );

  const bySubnet = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }));
  const table = bySubnet.RouteTables?.[0];
  assert.equal(table?.RouteTableId, tableId);
  assert.deepEqual(
    table?.Routes?.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.State]),
    [
      ['10.20.0.0/16', 'local', 'active'],
      ['0.0.0.0/0', igw, 'active'],
    ],
  );
  assert.deepEqual(
    table?.Associations?.map((a) => [a.RouteTableAssociationId, a.SubnetId, a.Main, a.AssociationState?.State]),
    [[AssociationId, subnetId, false, 'associated']],
  );

  await rejects(ec2.send(new DeleteRouteTableCommand({ RouteTableId: tableId })), 'DependencyViolation');
  await rejects(
    ec2.send(new DeleteRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '10.20.0.0/16' })),
    'InvalidParameterValue',
    /cannot remove local route/,
  );
  await ec2.send(new DeleteRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0' }));
  await rejects(
    ec2.send(new DeleteRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0' })),
    'InvalidRoute.NotFound',
    `no route with destination-cidr-block 0.0.0.0/0 in route table ${tableId}`,
  );
  await ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
  await rejects(
    ec2.send(new DisassociateRouteTableCommand({ AssociationId })),
    'InvalidAssociationID.NotFound',
    `The association ID '${AssociationId}' does not exist`,
  );
  await ec2.send(new DeleteRouteTableCommand({ RouteTableId: tableId }));
  await rejects(
    ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [tableId] })),
    'InvalidRouteTableID.NotFound',
    `The routeTable ID '${tableId}' does not exist`,
  );
});

test('CreateRoute: refuses an internet gateway attached to another VPC and an unknown route table', async () => {
  const vpcId = await newVpc(ec2);
  const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  const igw = await newGateway();
  await rejects(
    ec2.send(new CreateRouteCommand({ RouteTableId: RouteTable?.RouteTableId ?? '', DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })),
    'InvalidParameterValue',
    /belong to different networks/,
  );
  await rejects(
    ec2.send(new CreateRouteCommand({ RouteTableId: 'rtb-123', DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })),
    'InvalidRouteTableID.NotFound',
    "The routeTable ID 'rtb-123' does not exist",
  );
});

test('NatGateway: takes a private IP in its subnet, blocks the subnet deletion, and is deleted', async () => {
  const vpcId = await newVpc(ec2, '10.21.0.0/16');
  const igw = await newGateway();
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const subnetId = await newSubnet(vpcId, '10.21.0.0/28');
  const { NatGateway } = await ec2.send(
    new CreateNatGatewayCommand({
      SubnetId: subnetId,
      AllocationId: 'eipalloc-0123456789abcdef0',
      TagSpecifications: [{ ResourceType: 'natgateway', Tags: [{ Key: 'Name', Value: 'nat' }] }],
    }),
  );
  const natId = NatGateway?.NatGatewayId ?? '';
  assert.match(natId, /^nat-[0-9a-f]{17}$/);
  assert.equal(NatGateway?.State, 'pending');
  assert.equal(NatGateway?.NatGatewayAddresses?.[0]?.PrivateIp, '10.21.0.4');
  assert.ok(NatGateway?.CreateTime instanceof Date);
  const described = await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] }));
  assert.equal(described.NatGateways?.[0]?.State, 'available');
  assert.equal(described.NatGateways?.[0]?.Tags?.[0]?.Value, 'nat');
  const subnet = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets?.[0];
  assert.equal(subnet?.AvailableIpAddressCount, 16 - 5 - 1);
  await rejects(
    ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId })),
    'DependencyViolation',
    `The subnet '${subnetId}' has dependencies and cannot be deleted.`,
  );
  const deleted = await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: natId }));
  assert.equal(deleted.NatGatewayId, natId);
  const after = await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'nat-gateway-id', Values: [natId] }] }));
  assert.equal(after.NatGateways?.[0]?.State, 'deleted');
  await ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
  await rejects(
    ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-0123456789abcdef0'] })),
    'NatGatewayNotFound',
    'NAT gateway nat-0123456789abcdef0 was not found',
  );
});

test('NatGateway: a public gateway in a VPC without an internet gateway ends failed with Gateway.NotAttached', async () => {
  const vpcId = await newVpc(ec2, '10.22.0.0/16');
  const subnetId = await newSubnet(vpcId, '10.22.0.0/24');
  const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: 'eipalloc-0123456789abcdef0' }));
  const described = await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [NatGateway?.NatGatewayId ?? ''] }));
  assert.equal(described.NatGateways?.[0]?.State, 'failed');
  assert.equal(described.NatGateways?.[0]?.FailureCode, 'Gateway.NotAttached');
  assert.equal(described.NatGateways?.[0]?.FailureMessage, `Network ${vpcId} has no Internet gateway attached`);
  const privateNat = await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, ConnectivityType: 'private' }));
  const privateState = await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [privateNat.NatGateway?.NatGatewayId ?? ''] }));
  assert.equal(privateState.NatGateways?.[0]?.State, 'available');
  assert.equal(privateState.NatGateways?.[0]?.ConnectivityType, 'private');
});
