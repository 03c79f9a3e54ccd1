/**
 * CreateVpcEndpoint through @aws-sdk/client-ec2: the happy path (pending -> available, DNS
 * entries, ENIs, default policy and security group) and every rule, with AWS's codes and messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeSecurityGroupsCommand,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import type { Kit, TestVpc } from './privatelink-kit.js';
import { newVpc, rejects, startKit, waitForState } from './privatelink-kit.js';

const BATCH = 'com.amazonaws.us-east-1.batch';
const DEFAULT_POLICY = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

describe('CreateVpcEndpoint', () => {
  let kit: Kit;
  before(async () => {
    kit = await startKit();
  });
  after(async () => kit.close());

  test('creates a Batch interface endpoint: pending, then available with DNS entries and one ENI per subnet', async () => {
    const vpc = await newVpc(kit.ec2);
    const { VpcEndpoint } = await kit.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        ServiceName: BATCH,
        VpcEndpointType: 'Interface',
        SubnetIds: [vpc.subnetA, vpc.subnetB],
        SecurityGroupIds: [vpc.groupId],
      }),
    );
    assert.ok(VpcEndpoint?.VpcEndpointId);
    assert.match(VpcEndpoint.VpcEndpointId, /^vpce-[0-9a-f]{17}$/);
    assert.equal(VpcEndpoint.State, 'pending');
    assert.equal(VpcEndpoint.VpcEndpointType, 'Interface');
    assert.equal(VpcEndpoint.PolicyDocument, DEFAULT_POLICY);
    assert.equal(VpcEndpoint.PrivateDnsEnabled, true, 'the API defaults private DNS on for Interface endpoints');
    assert.deepEqual(VpcEndpoint.SubnetIds, [vpc.subnetA, vpc.subnetB]);
    assert.deepEqual(
      VpcEndpoint.Groups?.map((group) => group.GroupId),
      [vpc.groupId],
    );
    assert.equal(VpcEndpoint.Groups?.[0]?.GroupName, `https-${vpc.cidr.split('.')[1]}`);
    assert.equal(VpcEndpoint.NetworkInterfaceIds?.length, 2);

    const available = await waitForState(kit.ec2, VpcEndpoint.VpcEndpointId, 'available');
    const names = available.DnsEntries?.map((entry) => entry.DnsName) ?? [];
    const id = VpcEndpoint.VpcEndpointId;
    assert.match(names[0] ?? '', new RegExp(`^${id}-[a-z0-9]{8}\\.batch\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
    assert.match(names[1] ?? '', new RegExp(`^${id}-[a-z0-9]{8}-us-east-1a\\.batch\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
    assert.match(names[2] ?? '', new RegExp(`^${id}-[a-z0-9]{8}-us-east-1b\\.batch\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
    assert.deepEqual(names.slice(3), ['batch.us-east-1.amazonaws.com', 'batch.us-east-1.api.aws']);
    assert.equal(available.DnsEntries?.[0]?.HostedZoneId, 'Z7HUB22UULQXV');
    assert.ok(available.CreationTimestamp instanceof Date);
    assert.equal(available.OwnerId, '000000000000');
  });

  test('uses the VPC default security group when none is given', async () => {
    const vpc = await newVpc(kit.ec2);
    const { SecurityGroups } = await kit.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc.vpcId] },
          { Name: 'group-name', Values: ['default'] },
        ],
      }),
    );
    const { VpcEndpoint } = await kit.ec2.send(
      new CreateVpcEndpointCommand({ VpcId: vpc.vpcId, ServiceName: BATCH, VpcEndpointType: 'Interface', SubnetIds: [vpc.subnetA] }),
    );
    assert.deepEqual(
      VpcEndpoint?.Groups?.map((group) => group.GroupId),
      [SecurityGroups?.[0]?.GroupId],
    );
    assert.equal(VpcEndpoint?.Groups?.[0]?.GroupName, 'default');
  });

  test('keeps a custom policy and tags from TagSpecifications', async () => {
    const vpc = await newVpc(kit.ec2);
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'batch:List*', Resource: '*' }] });
    const { VpcEndpoint } = await kit.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        ServiceName: BATCH,
        VpcEndpointType: 'Interface',
        SubnetIds: [vpc.subnetA],
        PrivateDnsEnabled: false,
        PolicyDocument: policy,
        TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'Name', Value: 'batch' }] }],
      }),
    );
    assert.equal(VpcEndpoint?.PolicyDocument, policy);
    assert.deepEqual(VpcEndpoint?.Tags, [{ Key: 'Name', Value: 'batch' }]);
    assert.equal(VpcEndpoint?.PrivateDnsEnabled, false);
    assert.ok(!VpcEndpoint?.DnsEntries?.some((entry) => entry.DnsName === 'batch.us-east-1.amazonaws.com'));
  });

  test('creates an S3 Gateway endpoint with route tables and no subnets', async () => {
    const vpc = await newVpc(kit.ec2);
    const { VpcEndpoint } = await kit.ec2.send(
      new CreateVpcEndpointCommand({ VpcId: vpc.vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', VpcEndpointType: 'Gateway' }),
    );
    assert.equal(VpcEndpoint?.VpcEndpointType, 'Gateway');
    assert.equal(VpcEndpoint?.State, 'available');
    assert.deepEqual(VpcEndpoint?.SubnetIds ?? [], []);
    assert.equal(VpcEndpoint?.PrivateDnsEnabled, false);
  });

  test('DryRun answers DryRunOperation and creates nothing', async () => {
    const vpc = await newVpc(kit.ec2);
    await rejects(
      kit.ec2.send(
        new CreateVpcEndpointCommand({
          DryRun: true,
          VpcId: vpc.vpcId,
          ServiceName: BATCH,
          VpcEndpointType: 'Interface',
          SubnetIds: [vpc.subnetA],
        }),
      ),
      'DryRunOperation',
      'Request would have succeeded, but DryRun flag is set.',
    );
  });

  describe('rules', () => {
    let vpc: TestVpc;
    before(async () => {
      vpc = await newVpc(kit.ec2);
    });
    const create = (input: Partial<ConstructorParameters<typeof CreateVpcEndpointCommand>[0]>) =>
      kit.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc.vpcId, ServiceName: BATCH, VpcEndpointType: 'Interface', ...input }));

    test('rejects an unknown service with InvalidServiceName', async () => {
      await rejects(
        create({ ServiceName: 'com.amazonaws.us-east-1.nosuch' }),
        'InvalidServiceName',
        "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nosuch' does not exist",
      );
    });

    test("rejects another Region's service name with InvalidServiceName (no cross-Region endpoints)", async () => {
      await rejects(
        create({ ServiceName: 'com.amazonaws.us-west-2.batch' }),
        'InvalidServiceName',
        "The Vpc Endpoint Service 'com.amazonaws.us-west-2.batch' does not exist",
      );
    });

    test('rejects Batch in ap-northeast-3 and ap-southeast-3 with InvalidServiceName', async () => {
      for (const region of ['ap-northeast-3', 'ap-southeast-3']) {
        const { EC2Client } = await import('@aws-sdk/client-ec2');
        const regional = new EC2Client({ ...kit.server.clientConfig, region });
        const { Vpc } = await regional.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
        await rejects(
          regional.send(
            new CreateVpcEndpointCommand({ VpcId: Vpc?.VpcId, ServiceName: `com.amazonaws.${region}.batch`, VpcEndpointType: 'Interface' }),
          ),
          'InvalidServiceName',
          `The Vpc Endpoint Service 'com.amazonaws.${region}.batch' does not exist`,
        );
        regional.destroy();
      }
    });

    test('rejects an unknown VPC with InvalidVpcID.NotFound', async () => {
      await rejects(
        create({ VpcId: 'vpc-0123456789abcdef0' }),
        'InvalidVpcID.NotFound',
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      );
    });

    test('rejects a subnet of another VPC', async () => {
      const other = await newVpc(kit.ec2);
      await rejects(
        create({ SubnetIds: [other.subnetA], PrivateDnsEnabled: false }),
        'InvalidParameter',
        `The subnet ID '${other.subnetA}' does not belong to the VPC '${vpc.vpcId}'.`,
      );
    });

    test('rejects an unknown subnet with InvalidSubnetID.NotFound', async () => {
      await rejects(
        create({ SubnetIds: ['subnet-0123456789abcdef0'] }),
        'InvalidSubnetID.NotFound',
        "The subnet ID 'subnet-0123456789abcdef0' does not exist",
      );
    });

    test('rejects two subnets in one AZ with DuplicateSubnetsInSameZone', async () => {
      const { Subnet } = await kit.ec2.send(
        new CreateSubnetCommand({ VpcId: vpc.vpcId, CidrBlock: vpc.cidr.replace('0.0/16', '3.0/24'), AvailabilityZone: 'us-east-1a' }),
      );
      await rejects(
        create({ SubnetIds: [vpc.subnetA, Subnet?.SubnetId ?? ''] }),
        'DuplicateSubnetsInSameZone',
        `Found another VPC endpoint subnet in the availability zone of ${Subnet?.SubnetId}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`,
      );
    });

    test('rejects a subnet in a zone the service does not support', async () => {
      const { Subnet } = await kit.ec2.send(
        new CreateSubnetCommand({ VpcId: vpc.vpcId, CidrBlock: vpc.cidr.replace('0.0/16', '4.0/24'), AvailabilityZone: 'us-east-1c' }),
      );
      await rejects(
        create({ ServiceName: 'com.amazonaws.us-east-1.batch-fips', SubnetIds: [Subnet?.SubnetId ?? ''] }),
        'InvalidParameter',
        `The VPC endpoint service com.amazonaws.us-east-1.batch-fips does not support the availability zone of the subnet: ${Subnet?.SubnetId}.`,
      );
    });

    test('rejects SubnetIds on a Gateway endpoint', async () => {
      await rejects(
        create({ ServiceName: 'com.amazonaws.us-east-1.s3', VpcEndpointType: 'Gateway', SubnetIds: [vpc.subnetA] }),
        'InvalidParameter',
        'Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.',
      );
    });

    test('rejects a security group of another VPC', async () => {
      const other = await newVpc(kit.ec2);
      await rejects(
        create({ SubnetIds: [vpc.subnetA], SecurityGroupIds: [other.groupId] }),
        'InvalidGroup.NotFound',
        `The security group '${other.groupId}' does not exist in VPC '${vpc.vpcId}'`,
      );
    });

    test('rejects private DNS unless the VPC has enableDnsSupport and enableDnsHostnames', async () => {
      const plain = await newVpc(kit.ec2, { dns: false });
      const message = `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${plain.vpcId}`;
      await rejects(
        kit.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: plain.vpcId,
            ServiceName: BATCH,
            VpcEndpointType: 'Interface',
            SubnetIds: [plain.subnetA],
          }),
        ),
        'InvalidParameter',
        message,
      );
      await kit.ec2.send(new ModifyVpcAttributeCommand({ VpcId: plain.vpcId, EnableDnsHostnames: { Value: true } }));
      await kit.ec2.send(new ModifyVpcAttributeCommand({ VpcId: plain.vpcId, EnableDnsSupport: { Value: false } }));
      await rejects(
        kit.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: plain.vpcId,
            ServiceName: BATCH,
            VpcEndpointType: 'Interface',
            SubnetIds: [plain.subnetA],
          }),
        ),
        'InvalidParameter',
        message,
      );
      const without = await kit.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: plain.vpcId,
          ServiceName: BATCH,
          VpcEndpointType: 'Interface',
          SubnetIds: [plain.subnetA],
          PrivateDnsEnabled: false,
        }),
      );
      assert.equal(without.VpcEndpoint?.PrivateDnsEnabled, false);
    });

    test('allows one endpoint per service per VPC with private DNS ("conflicting DNS domain")', async () => {
      const fresh = await newVpc(kit.ec2);
      await kit.ec2.send(
        new CreateVpcEndpointCommand({ VpcId: fresh.vpcId, ServiceName: BATCH, VpcEndpointType: 'Interface', SubnetIds: [fresh.subnetA] }),
      );
      await rejects(
        kit.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: fresh.vpcId,
            ServiceName: BATCH,
            VpcEndpointType: 'Interface',
            SubnetIds: [fresh.subnetB],
          }),
        ),
        'InvalidParameter',
        `private-dns-enabled cannot be set because there is already a conflicting DNS domain for batch.us-east-1.amazonaws.com in the VPC ${fresh.vpcId}`,
      );
      const second = await kit.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: fresh.vpcId,
          ServiceName: BATCH,
          VpcEndpointType: 'Interface',
          SubnetIds: [fresh.subnetB],
          PrivateDnsEnabled: false,
        }),
      );
      assert.equal(second.VpcEndpoint?.PrivateDnsEnabled, false);
    });

    test('rejects a policy that is not JSON with InvalidPolicyDocument', async () => {
      await rejects(
        create({ SubnetIds: [vpc.subnetA], PrivateDnsEnabled: false, PolicyDocument: '{"Statement": [' }),
        'InvalidPolicyDocument',
        /^The Policy Document is not valid\. Syntax error at position \(1,\d+\)/,
      );
    });

    test('rejects a policy without a Principal with InvalidPolicyDocument', async () => {
      const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
      await rejects(
        create({ SubnetIds: [vpc.subnetA], PrivateDnsEnabled: false, PolicyDocument: policy }),
        'InvalidPolicyDocument',
        /Principal/,
      );
    });

    test('rejects a policy longer than 20,480 characters with InvalidPolicyDocument', async () => {
      const statement = { Effect: 'Allow', Principal: '*', Action: 'batch:ListJobs', Resource: '*', Sid: 'x'.repeat(20_480) };
      await rejects(
        create({ SubnetIds: [vpc.subnetA], PrivateDnsEnabled: false, PolicyDocument: JSON.stringify({ Statement: [statement] }) }),
        'InvalidPolicyDocument',
        /20480/,
      );
    });

    test('rejects a request without ServiceName with MissingParameter', async () => {
      await rejects(create({ ServiceName: undefined }), 'MissingParameter', 'The request must contain the parameter ServiceName');
    });
  });
});
