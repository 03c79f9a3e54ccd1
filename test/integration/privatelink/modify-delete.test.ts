/**
 * ModifyVpcEndpoint and DeleteVpcEndpoints through @aws-sdk/client-ec2: policy and ResetPolicy,
 * subnets (their interfaces follow), security groups, private DNS, per-id delete failures, and
 * the deleting -> gone lifecycle that releases the interfaces.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcEndpointCommand,
  DeleteSecurityGroupCommand,
  DeleteVpcEndpointsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointCommand,
} from '@aws-sdk/client-ec2';
import type { Kit, TestVpc } from './privatelink-kit.js';
import { describeEndpoint, newVpc, rejects, startKit, waitForState } from './privatelink-kit.js';

const BATCH = 'com.amazonaws.us-east-1.batch';
const DEFAULT_POLICY = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

describe('ModifyVpcEndpoint and DeleteVpcEndpoints', () => {
  let kit: Kit;
  let vpc: TestVpc;
  before(async () => {
    kit = await startKit();
    vpc = await newVpc(kit.ec2);
  });
  after(async () => kit.close());

  async function endpoint(options: { privateDns?: boolean; subnets?: string[] } = {}): Promise<string> {
    const { VpcEndpoint } = await kit.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        ServiceName: BATCH,
        VpcEndpointType: 'Interface',
        SubnetIds: options.subnets ?? [vpc.subnetA],
        SecurityGroupIds: [vpc.groupId],
        PrivateDnsEnabled: options.privateDns ?? false,
      }),
    );
    assert.ok(VpcEndpoint?.VpcEndpointId);
    await waitForState(kit.ec2, VpcEndpoint.VpcEndpointId, 'available');
    return VpcEndpoint.VpcEndpointId;
  }

  test('sets a policy, and ResetPolicy brings back the default', async () => {
    const id = await endpoint();
    const policy = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 'batch:CancelJob', Resource: '*' }] });
    const { Return } = await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, PolicyDocument: policy }));
    assert.equal(Return, true);
    assert.equal((await describeEndpoint(kit.ec2, id)).PolicyDocument, policy);
    await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, ResetPolicy: true }));
    assert.equal((await describeEndpoint(kit.ec2, id)).PolicyDocument, DEFAULT_POLICY);
  });

  test('rejects an invalid policy with InvalidPolicyDocument', async () => {
    const id = await endpoint();
    await rejects(
      kit.ec2.send(
        new ModifyVpcEndpointCommand({
          VpcEndpointId: id,
          PolicyDocument: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
        }),
      ),
      'InvalidPolicyDocument',
      /Principal/,
    );
  });

  test('adding a subnet adds an interface; removing one removes its interface', async () => {
    const id = await endpoint();
    await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, AddSubnetIds: [vpc.subnetB] }));
    const grown = await waitForState(kit.ec2, id, 'available');
    assert.deepEqual(grown.SubnetIds, [vpc.subnetA, vpc.subnetB]);
    assert.equal(grown.NetworkInterfaceIds?.length, 2);
    const { NetworkInterfaces } = await kit.ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: grown.NetworkInterfaceIds }),
    );
    assert.deepEqual(NetworkInterfaces?.map((eni) => eni.SubnetId).sort(), [vpc.subnetA, vpc.subnetB].sort());
    assert.ok(grown.DnsEntries?.some((entry) => entry.DnsName?.includes('-us-east-1b.batch.')));

    await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, RemoveSubnetIds: [vpc.subnetA] }));
    const shrunk = await waitForState(kit.ec2, id, 'available');
    assert.deepEqual(shrunk.SubnetIds, [vpc.subnetB]);
    assert.equal(shrunk.NetworkInterfaceIds?.length, 1);
    assert.ok(!shrunk.DnsEntries?.some((entry) => entry.DnsName?.includes('-us-east-1a.batch.')));
  });

  test('rejects adding a second subnet in a zone with DuplicateSubnetsInSameZone', async () => {
    const id = await endpoint();
    const { Subnet } = await kit.ec2.send(
      new CreateSubnetCommand({ VpcId: vpc.vpcId, CidrBlock: vpc.cidr.replace('0.0/16', '9.0/24'), AvailabilityZone: 'us-east-1a' }),
    );
    await rejects(
      kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, AddSubnetIds: [Subnet?.SubnetId ?? ''] })),
      'DuplicateSubnetsInSameZone',
    );
  });

  test('adds and removes security groups (groups of another VPC are refused)', async () => {
    const id = await endpoint();
    const { GroupId } = await kit.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpc.vpcId, GroupName: `extra-${Date.now()}`, Description: 'extra' }),
    );
    await kit.ec2.send(
      new ModifyVpcEndpointCommand({ VpcEndpointId: id, AddSecurityGroupIds: [GroupId ?? ''], RemoveSecurityGroupIds: [vpc.groupId] }),
    );
    const modified = await describeEndpoint(kit.ec2, id);
    assert.deepEqual(
      modified.Groups?.map((group) => group.GroupId),
      [GroupId],
    );
    const { NetworkInterfaces } = await kit.ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: modified.NetworkInterfaceIds }),
    );
    assert.deepEqual(
      NetworkInterfaces?.[0]?.Groups?.map((group) => group.GroupId),
      [GroupId],
    );
    const other = await newVpc(kit.ec2);
    await rejects(
      kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, AddSecurityGroupIds: [other.groupId] })),
      'InvalidGroup.NotFound',
    );
  });

  test('a security group in use by an endpoint cannot be deleted', async () => {
    const id = await endpoint();
    const { GroupId } = await kit.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpc.vpcId, GroupName: `used-${Date.now()}`, Description: 'used' }),
    );
    await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, AddSecurityGroupIds: [GroupId ?? ''] }));
    await rejects(kit.ec2.send(new DeleteSecurityGroupCommand({ GroupId })), 'DependencyViolation');
  });

  test('turns private DNS on and off, with the conflicting-domain rule', async () => {
    const fresh = await newVpc(kit.ec2);
    const make = async () => {
      const { VpcEndpoint } = await kit.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: fresh.vpcId,
          ServiceName: BATCH,
          VpcEndpointType: 'Interface',
          SubnetIds: [fresh.subnetA],
          PrivateDnsEnabled: false,
        }),
      );
      return VpcEndpoint?.VpcEndpointId ?? '';
    };
    const first = await make();
    const second = await make();
    await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: first, PrivateDnsEnabled: true }));
    assert.equal((await describeEndpoint(kit.ec2, first)).PrivateDnsEnabled, true);
    await rejects(
      kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: second, PrivateDnsEnabled: true })),
      'InvalidParameter',
      `private-dns-enabled cannot be set because there is already a conflicting DNS domain for batch.us-east-1.amazonaws.com in the VPC ${fresh.vpcId}`,
    );
    await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: first, PrivateDnsEnabled: false }));
    await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: second, PrivateDnsEnabled: true }));
    assert.equal((await describeEndpoint(kit.ec2, second)).PrivateDnsEnabled, true);
  });

  test('rejects an unknown endpoint id with InvalidVpcEndpointId.NotFound', async () => {
    await rejects(
      kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: 'vpce-0123456789abcdef0', ResetPolicy: true })),
      'InvalidVpcEndpointId.NotFound',
      "The Vpc Endpoint Id 'vpce-0123456789abcdef0' does not exist",
    );
  });

  test('DryRun answers DryRunOperation and changes nothing', async () => {
    const id = await endpoint();
    await rejects(
      kit.ec2.send(new ModifyVpcEndpointCommand({ DryRun: true, VpcEndpointId: id, AddSubnetIds: [vpc.subnetB] })),
      'DryRunOperation',
    );
    assert.deepEqual((await describeEndpoint(kit.ec2, id)).SubnetIds, [vpc.subnetA]);
  });

  test('DeleteVpcEndpoints: deleting, then deleted without its interfaces; unknown ids come back in Unsuccessful', async () => {
    const id = await endpoint();
    const { NetworkInterfaceIds } = await describeEndpoint(kit.ec2, id);
    const result = await kit.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [id, 'vpce-0123456789abcdef0'] }));
    assert.deepEqual(result.Unsuccessful, [
      {
        ResourceId: 'vpce-0123456789abcdef0',
        Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: "The Vpc Endpoint Id 'vpce-0123456789abcdef0' does not exist" },
      },
    ]);
    const deleted = await waitForState(kit.ec2, id, 'deleted');
    assert.deepEqual(deleted.NetworkInterfaceIds ?? [], []);
    const { VpcEndpoints } = await kit.ec2.send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-state', Values: ['deleted'] }] }),
    );
    assert.ok(VpcEndpoints?.some((e) => e.VpcEndpointId === id));
    await rejects(
      kit.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: NetworkInterfaceIds })),
      'InvalidNetworkInterfaceID.NotFound',
    );
    const again = await kit.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [id] }));
    assert.equal(again.Unsuccessful?.[0]?.Error?.Code, 'InvalidVpcEndpointId.NotFound');
    await rejects(kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, ResetPolicy: true })), 'InvalidVpcEndpointId.NotFound');
  });

  test('DeleteVpcEndpoints: DryRun answers DryRunOperation and deletes nothing', async () => {
    const id = await endpoint();
    await rejects(kit.ec2.send(new DeleteVpcEndpointsCommand({ DryRun: true, VpcEndpointIds: [id] })), 'DryRunOperation');
    assert.equal((await describeEndpoint(kit.ec2, id)).State, 'available');
  });
});
