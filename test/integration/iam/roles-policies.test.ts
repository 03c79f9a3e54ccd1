/**
 * IAM roles, customer and AWS managed policies, and instance profiles through
 * @aws-sdk/client-iam: every operation and AWS's errors (NoSuchEntity, EntityAlreadyExists,
 * MalformedPolicyDocument, DeleteConflict, LimitExceeded).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { startWithClient } from '../../helpers/server.js';
import { rejectsWith } from '../../helpers/assertions.js';
import type { ServerWithClient } from '../../helpers/server.js';

let kit: ServerWithClient<IAMClient>;
let iam: IAMClient;

before(async () => {
  kit = await startWithClient(IAMClient);
  iam = kit.client;
});
after(() => kit.close());

const ec2Trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const allowBatch = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'batch:*', Resource: '*' }] });
const allowLogs = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });

test('CreateRole/GetRole/ListRoles: AROA id, path in the ARN, URL-encoded trust policy, MaxSessionDuration', async () => {
  const created = await iam.send(
    new CreateRoleCommand({
      RoleName: 'batchInstanceRole',
      Path: '/service/',
      AssumeRolePolicyDocument: ec2Trust,
      MaxSessionDuration: 7200,
      Description: 'for hosts',
    }),
  );
  assert.equal(created.Role?.Arn, 'arn:aws:iam::000000000000:role/service/batchInstanceRole');
  assert.match(created.Role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
  assert.equal(decodeURIComponent(created.Role?.AssumeRolePolicyDocument ?? ''), ec2Trust);
  const got = await iam.send(new GetRoleCommand({ RoleName: 'batchinstancerole' }));
  assert.equal(got.Role?.MaxSessionDuration, 7200);
  assert.equal(got.Role?.Description, 'for hosts');
  const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/service/' }));
  assert.deepEqual(
    listed.Roles?.map((r) => r.RoleName),
    ['batchInstanceRole'],
  );
  await rejectsWith(
    iam.send(new CreateRoleCommand({ RoleName: 'BATCHINSTANCEROLE', AssumeRolePolicyDocument: ec2Trust })),
    'EntityAlreadyExistsException',
    'Role with name BATCHINSTANCEROLE already exists.',
  );
  await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'ghost' })), 'NoSuchEntityException', 'The role with name ghost cannot be found.');
});

test('CreateRole: the trust policy is required and validated (Principal required, no Resource, invalid principals)', async () => {
  await rejectsWith(
    iam.send(new CreateRoleCommand({ RoleName: 'no-trust' } as never)),
    'ValidationError',
    /at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null/,
  );
  const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
  await rejectsWith(
    iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: noPrincipal })),
    'MalformedPolicyDocumentException',
    'Missing required field Principal',
  );
  const ghostUser = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/ghost' }, Action: 'sts:AssumeRole' }],
  });
  await iam.send(new CreateRoleCommand({ RoleName: 'anchor', AssumeRolePolicyDocument: ec2Trust }));
  await rejectsWith(
    iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: ghostUser })),
    'MalformedPolicyDocumentException',
    'Invalid principal in policy: "AWS":"arn:aws:iam::000000000000:user/ghost"',
  );
  await rejectsWith(
    iam.send(new CreateRoleCommand({ RoleName: 'bad-max', AssumeRolePolicyDocument: ec2Trust, MaxSessionDuration: 60 })),
    'ValidationError',
    /Member must have value greater than or equal to 3600/,
  );
});

test('UpdateAssumeRolePolicy and TagRole change the role', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'changing', AssumeRolePolicyDocument: ec2Trust }));
  const batchTrust = ec2Trust.replace('ec2.amazonaws.com', 'batch.amazonaws.com');
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'changing', PolicyDocument: batchTrust }));
  await iam.send(new TagRoleCommand({ RoleName: 'changing', Tags: [{ Key: 'env', Value: 'dev' }] }));
  const got = await iam.send(new GetRoleCommand({ RoleName: 'changing' }));
  assert.equal(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ''), batchTrust);
  assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'changing' }))).Tags, [{ Key: 'env', Value: 'dev' }]);
});

test('role policies: inline and attached, and DeleteRole refuses until both are gone', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: ec2Trust }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'batch', PolicyDocument: allowBatch }));
  const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'batch' }));
  assert.equal(decodeURIComponent(inline.PolicyDocument ?? ''), allowBatch);
  assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'worker' }))).PolicyNames, ['batch']);
  const managed = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: managed }));
  assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker' }))).AttachedPolicies, [
    { PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn: managed },
  ]);
  await rejectsWith(
    iam.send(new DeleteRoleCommand({ RoleName: 'worker' })),
    'DeleteConflictException',
    'Cannot delete entity, must delete policies first.',
  );
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'batch' }));
  await rejectsWith(
    iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'batch' })),
    'NoSuchEntityException',
    'The role policy with name batch cannot be found.',
  );
  await rejectsWith(
    iam.send(new DeleteRoleCommand({ RoleName: 'worker' })),
    'DeleteConflictException',
    'Cannot delete entity, must detach all policies first.',
  );
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'worker', PolicyArn: managed }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'worker' }));
  await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'worker' })), 'NoSuchEntityException');
});

test('managed policies: create, get, versions (≤ 5, SetAsDefault), attachment count, delete rules', async () => {
  const created = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'BatchUse', Path: '/app/', PolicyDocument: allowBatch, Description: 'batch' }),
  );
  const arn = created.Policy?.Arn ?? '';
  assert.equal(arn, 'arn:aws:iam::000000000000:policy/app/BatchUse');
  assert.match(created.Policy?.PolicyId ?? '', /^ANPA/);
  assert.equal(created.Policy?.DefaultVersionId, 'v1');
  await rejectsWith(
    iam.send(new CreatePolicyCommand({ PolicyName: 'BatchUse', PolicyDocument: allowBatch })),
    'EntityAlreadyExistsException',
    'A policy called BatchUse already exists. Duplicate names are not allowed.',
  );

  const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allowLogs, SetAsDefault: true }));
  assert.equal(v2.PolicyVersion?.VersionId, 'v2');
  assert.equal(v2.PolicyVersion?.IsDefaultVersion, true);
  assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId, 'v2');
  const v1 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
  assert.equal(decodeURIComponent(v1.PolicyVersion?.Document ?? ''), allowBatch);
  assert.equal(v1.PolicyVersion?.IsDefaultVersion, false);
  for (let i = 0; i < 3; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allowBatch }));
  await rejectsWith(
    iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allowBatch })),
    'LimitExceededException',
    'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
  );
  assert.equal((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions?.length, 5);

  await iam.send(new CreateRoleCommand({ RoleName: 'policy-holder', AssumeRolePolicyDocument: ec2Trust }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'policy-holder', PolicyArn: arn }));
  assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount, 1);
  await rejectsWith(
    iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
    'DeleteConflictException',
    'Cannot delete a policy attached to entities.',
  );
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'policy-holder', PolicyArn: arn }));
  await rejectsWith(
    iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })),
    'DeleteConflictException',
    'Cannot delete the default version of a policy.',
  );
  await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflictException', /This policy has more than one version/);
  for (const v of ['v1', 'v3', 'v4', 'v5']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  await rejectsWith(iam.send(new GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntityException', `Policy ${arn} was not found.`);
});

test('ListPolicies: Scope=AWS lists the AWS managed policies Batch setups attach, Scope=Local only ours', async () => {
  await iam.send(new CreatePolicyCommand({ PolicyName: 'LocalOne', PolicyDocument: allowLogs }));
  const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
  const arns = aws.Policies?.map((p) => p.Arn) ?? [];
  for (const arn of [
    'arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole',
    'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
    'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    'arn:aws:iam::aws:policy/AdministratorAccess',
  ]) {
    assert.ok(arns.includes(arn), `${arn} listed`);
  }
  const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
  assert.deepEqual(
    local.Policies?.map((p) => p.PolicyName),
    ['LocalOne'],
  );
  const admin = await iam.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', VersionId: 'v1' }));
  assert.deepEqual(JSON.parse(decodeURIComponent(admin.PolicyVersion?.Document ?? '')).Statement, [
    { Effect: 'Allow', Action: '*', Resource: '*' },
  ]);
});

test('instance profiles: create, add one role (a second is LimitExceeded), get, list, remove, delete', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'host-a', AssumeRolePolicyDocument: ec2Trust }));
  await iam.send(new CreateRoleCommand({ RoleName: 'host-b', AssumeRolePolicyDocument: ec2Trust }));
  const created = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'hosts' }));
  assert.equal(created.InstanceProfile?.Arn, 'arn:aws:iam::000000000000:instance-profile/hosts');
  assert.deepEqual(created.InstanceProfile?.Roles, []);
  await rejectsWith(
    iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'hosts' })),
    'EntityAlreadyExistsException',
    'Instance Profile hosts already exists.',
  );
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'hosts', RoleName: 'host-a' }));
  await rejectsWith(
    iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'hosts', RoleName: 'host-b' })),
    'LimitExceededException',
    'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
  );
  const got = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'hosts' }));
  assert.deepEqual(
    got.InstanceProfile?.Roles?.map((r) => r.RoleName),
    ['host-a'],
  );
  assert.deepEqual(
    (await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles?.map((p) => p.InstanceProfileName),
    ['ecsInstanceRole', 'hosts'], // the default account starts with the Batch wizard's instance profile
  );
  await rejectsWith(
    iam.send(new DeleteRoleCommand({ RoleName: 'host-a' })),
    'DeleteConflictException',
    'Cannot delete entity, must remove roles from instance profile first.',
  );
  await rejectsWith(
    iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'hosts' })),
    'DeleteConflictException',
    'Cannot delete entity, must remove roles from instance profile first.',
  );
  await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'hosts', RoleName: 'host-a' }));
  await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'hosts' }));
  await rejectsWith(
    iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'hosts' })),
    'NoSuchEntityException',
    'Instance Profile hosts cannot be found.',
  );
});
