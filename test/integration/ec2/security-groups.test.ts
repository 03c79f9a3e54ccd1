import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
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

async function newGroup(vpcId: string, name: string) {
  const created = await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: `group ${name}` }));
  assert.match(created.GroupId ?? '', /^sg-[0-9a-f]{17}$/);
  return created.GroupId ?? '';
}

async function describe(groupId: string) {
  const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  assert.equal(SecurityGroups?.length, 1);
  return SecurityGroups?.[0];
}

test('CreateSecurityGroup: creates a group with the allow-all egress rule, an ARN and tags', async () => {
  const vpcId = await newVpc(ec2);
  const created = await ec2.send(
    new CreateSecurityGroupCommand({
      VpcId: vpcId,
      GroupName: 'web',
      Description: 'web tier',
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'tier', Value: 'web' }] }],
    }),
  );
  assert.match(created.SecurityGroupArn ?? '', /^arn:aws:ec2:us-east-1:\d{12}:security-group\/sg-/);
  assert.deepEqual(created.Tags, [{ Key: 'tier', Value: 'web' }]);
  const group = await describe(created.GroupId ?? '');
  assert.equal(group?.GroupName, 'web');
  assert.equal(group?.Description, 'web tier');
  assert.equal(group?.VpcId, vpcId);
  assert.deepEqual(group?.IpPermissions, []);
  assert.equal(group?.IpPermissionsEgress?.[0]?.IpProtocol, '-1');
  assert.equal(group?.IpPermissionsEgress?.[0]?.IpRanges?.[0]?.CidrIp, '0.0.0.0/0');
});

test('CreateSecurityGroup: refuses a duplicate name in the VPC, the reserved name, and an unknown VPC', async () => {
  const vpcId = await newVpc(ec2);
  await newGroup(vpcId, 'dup');
  await rejects(
    ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'dup', Description: 'x' })),
    'InvalidGroup.Duplicate',
    `The security group 'dup' already exists for VPC '${vpcId}'`,
  );
  await rejects(
    ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'default', Description: 'x' })),
    'InvalidParameterValue',
  );
  await rejects(
    ec2.send(new CreateSecurityGroupCommand({ VpcId: 'vpc-123', GroupName: 'x', Description: 'x' })),
    'InvalidVpcID.NotFound',
    "The vpc ID 'vpc-123' does not exist",
  );
});

test('AuthorizeSecurityGroupIngress: adds rules that DescribeSecurityGroups reports grouped by port range', async () => {
  const vpcId = await newVpc(ec2);
  const groupId = await newGroup(vpcId, 'ingress');
  const peerId = await newGroup(vpcId, 'peer');
  const result = await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'https' }, { CidrIp: '192.168.0.0/16' }],
        },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: peerId }] },
      ],
    }),
  );
  assert.equal(result.Return, true);
  assert.equal(result.SecurityGroupRules?.length, 3);
  assert.match(result.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '', /^sgr-/);
  assert.equal(result.SecurityGroupRules?.[0]?.IsEgress, false);
  assert.equal(result.SecurityGroupRules?.[2]?.ReferencedGroupInfo?.GroupId, peerId);
  const group = await describe(groupId);
  const https = group?.IpPermissions?.find((p) => p.FromPort === 443);
  assert.deepEqual(https?.IpRanges, [{ CidrIp: '10.0.0.0/8', Description: 'https' }, { CidrIp: '192.168.0.0/16' }]);
  assert.equal(group?.IpPermissions?.find((p) => p.FromPort === 22)?.UserIdGroupPairs?.[0]?.GroupId, peerId);
  const filtered = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'ip-permission.from-port', Values: ['443'] },
        { Name: 'vpc-id', Values: [vpcId] },
      ],
    }),
  );
  assert.deepEqual(
    filtered.SecurityGroups?.map((g) => g.GroupId),
    [groupId],
  );
});

test('AuthorizeSecurityGroupIngress: refuses a rule that exists with InvalidPermission.Duplicate and AWS wording', async () => {
  const vpcId = await newVpc(ec2);
  const groupId = await newGroup(vpcId, 'twice');
  const rule = { GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] };
  await ec2.send(new AuthorizeSecurityGroupIngressCommand(rule));
  await rejects(
    ec2.send(new AuthorizeSecurityGroupIngressCommand(rule)),
    'InvalidPermission.Duplicate',
    'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists',
  );
});

test('AuthorizeSecurityGroupIngress: accepts the legacy top-level form and refuses an unknown group', async () => {
  const vpcId = await newVpc(ec2);
  const groupId = await newGroup(vpcId, 'legacy');
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIp: '10.1.0.0/16' }),
  );
  const group = await describe(groupId);
  assert.deepEqual(
    group?.IpPermissions?.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges?.[0]?.CidrIp]),
    [['udp', 53, 53, '10.1.0.0/16']],
  );
  await rejects(
    ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'sg-0123456789abcdef0', IpProtocol: '-1', CidrIp: '0.0.0.0/0' })),
    'InvalidGroup.NotFound',
    "The security group 'sg-0123456789abcdef0' does not exist",
  );
});

test('RevokeSecurityGroupIngress: removes a rule, and refuses one that does not exist', async () => {
  const vpcId = await newVpc(ec2);
  const groupId = await newGroup(vpcId, 'revoke');
  const perm = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [perm] }));
  const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [perm] }));
  assert.equal(revoked.Return, true);
  assert.equal(revoked.RevokedSecurityGroupRules?.length, 1);
  assert.deepEqual((await describe(groupId))?.IpPermissions, []);
  await rejects(
    ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [perm] })),
    'InvalidPermission.NotFound',
    'The specified rule does not exist in this security group.',
  );
});

test('AuthorizeSecurityGroupEgress / RevokeSecurityGroupEgress: manage outbound rules, by permission or rule id', async () => {
  const vpcId = await newVpc(ec2);
  const groupId = await newGroup(vpcId, 'egress');
  const added = await ec2.send(
    new AuthorizeSecurityGroupEgressCommand({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }],
    }),
  );
  assert.equal(added.SecurityGroupRules?.[0]?.IsEgress, true);
  const ruleId = added.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
  assert.equal((await describe(groupId))?.IpPermissionsEgress?.length, 2);
  await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, SecurityGroupRuleIds: [ruleId] }));
  await ec2.send(
    new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
  );
  assert.deepEqual((await describe(groupId))?.IpPermissionsEgress, []);
});

test('DeleteSecurityGroup: refuses the default group and a referenced group, deletes by id or name', async () => {
  const vpcId = await newVpc(ec2);
  const defaults = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: ['default'] },
      ],
    }),
  );
  const defaultId = defaults.SecurityGroups?.[0]?.GroupId ?? '';
  await rejects(
    ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaultId })),
    'CannotDelete',
    `the specified group: "${defaultId}" name: "default" cannot be deleted by a user`,
  );
  const a = await newGroup(vpcId, 'a');
  const b = await newGroup(vpcId, 'b');
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: a, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: b }] }] }),
  );
  await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: b })), 'DependencyViolation', `resource ${b} has a dependent object`);
  const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupId: a }));
  assert.equal(deleted.GroupId, a);
  await ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'b' }));
  await rejects(
    ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [b] })),
    'InvalidGroup.NotFound',
    `The security group '${b}' does not exist`,
  );
});

test('DescribeSecurityGroups: a malformed id fails with InvalidGroupId.Malformed; DryRun answers DryRunOperation', async () => {
  await rejects(
    ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['nope'] })),
    'InvalidGroupId.Malformed',
    'Invalid id: "nope" (expecting "sg-...")',
  );
  await rejects(
    ec2.send(new DescribeSecurityGroupsCommand({ DryRun: true })),
    'DryRunOperation',
    'Request would have succeeded, but DryRun flag is set.',
  );
});
