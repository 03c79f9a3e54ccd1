/**
 * IAM users, access keys and user policies through @aws-sdk/client-iam: every operation, AWS's
 * error codes and messages, and an IAM user calling with the keys it was given.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startWithClient } from '../../helpers/server.js';
import { rejectsWith } from '../../helpers/assertions.js';
import type { ServerWithClient, TestServer } from '../../helpers/server.js';

let kit: ServerWithClient<IAMClient>;
let server: TestServer;
let iam: IAMClient;

before(async () => {
  kit = await startWithClient(IAMClient);
  ({ server, client: iam } = kit);
});
after(() => kit.close());

const readOnlyBatch = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers', 'sts:GetCallerIdentity'], Resource: '*' }],
});

test('CreateUser/GetUser/ListUsers: a user gets an AIDA id, an ARN with its path, and is listed', async () => {
  const created = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/team/', Tags: [{ Key: 'team', Value: 'hpc' }] }));
  assert.equal(created.User?.UserName, 'alice');
  assert.equal(created.User?.Path, '/team/');
  assert.equal(created.User?.Arn, 'arn:aws:iam::000000000000:user/team/alice');
  assert.match(created.User?.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
  assert.ok(created.User?.CreateDate instanceof Date);
  assert.deepEqual(created.User?.Tags, [{ Key: 'team', Value: 'hpc' }]);

  const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
  assert.equal(got.User?.UserId, created.User?.UserId);
  const listed = await iam.send(new ListUsersCommand({ PathPrefix: '/team/' }));
  assert.deepEqual(
    listed.Users?.map((u) => u.UserName),
    ['alice'],
  );
  assert.equal(listed.IsTruncated, false);
});

test('CreateUser: a second user with the same name (any case) is EntityAlreadyExists', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'dup-user' }));
  await rejectsWith(
    iam.send(new CreateUserCommand({ UserName: 'DUP-user' })),
    'EntityAlreadyExistsException',
    'User with name DUP-user already exists.',
  );
});

test('CreateUser: an invalid name is a ValidationError naming the constraint', async () => {
  await rejectsWith(
    iam.send(new CreateUserCommand({ UserName: 'bad name' })),
    'ValidationError',
    /Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  );
});

test('GetUser: an unknown user is NoSuchEntity with AWS message; without a name the root is described', async () => {
  await rejectsWith(
    iam.send(new GetUserCommand({ UserName: 'nobody' })),
    'NoSuchEntityException',
    'The user with name nobody cannot be found.',
  );
  const root = await iam.send(new GetUserCommand({}));
  assert.equal(root.User?.Arn, 'arn:aws:iam::000000000000:root');
  assert.equal(root.User?.UserId, '000000000000');
});

test('ListUsers: MaxItems pages with Marker', async () => {
  for (const name of ['page-a', 'page-b', 'page-c']) await iam.send(new CreateUserCommand({ UserName: name, Path: '/paging/' }));
  const first = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2 }));
  assert.equal(first.IsTruncated, true);
  assert.equal(first.Users?.length, 2);
  const second = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2, Marker: first.Marker }));
  assert.equal(second.IsTruncated, false);
  assert.deepEqual(
    second.Users?.map((u) => u.UserName),
    ['page-c'],
  );
});

test('TagUser/ListUserTags/UntagUser: tags merge by key and can be removed', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'tagged' }));
  await iam.send(
    new TagUserCommand({
      UserName: 'tagged',
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
    }),
  );
  await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'a', Value: '3' }] }));
  await iam.send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['b'] }));
  const tags = await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }));
  assert.deepEqual(tags.Tags, [{ Key: 'a', Value: '3' }]);
});

test('access keys: create (AKIA, 40-char secret), list, deactivate, at most two, delete', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'keyed' }));
  const a = await iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' }));
  assert.match(a.AccessKey?.AccessKeyId ?? '', /^AKIA[A-Z2-7]{16}$/);
  assert.equal(a.AccessKey?.SecretAccessKey?.length, 40);
  assert.equal(a.AccessKey?.Status, 'Active');
  const b = await iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' }));
  await rejectsWith(
    iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' })),
    'LimitExceededException',
    'Cannot exceed quota for AccessKeysPerUser: 2',
  );

  await iam.send(new UpdateAccessKeyCommand({ UserName: 'keyed', AccessKeyId: a.AccessKey?.AccessKeyId, Status: 'Inactive' }));
  const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'keyed' }));
  const statuses = Object.fromEntries((listed.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId, k.Status]));
  assert.deepEqual(statuses, { [a.AccessKey?.AccessKeyId ?? '']: 'Inactive', [b.AccessKey?.AccessKeyId ?? '']: 'Active' });

  await rejectsWith(
    iam.send(new DeleteUserCommand({ UserName: 'keyed' })),
    'DeleteConflictException',
    'Cannot delete entity, must delete access keys first.',
  );
  await rejectsWith(
    iam.send(new DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA' })),
    'NoSuchEntityException',
    'The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.',
  );
  await iam.send(new DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: a.AccessKey?.AccessKeyId }));
  await iam.send(new DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: b.AccessKey?.AccessKeyId }));
  await iam.send(new DeleteUserCommand({ UserName: 'keyed' }));
  await rejectsWith(iam.send(new GetUserCommand({ UserName: 'keyed' })), 'NoSuchEntityException');
});

test('inline user policies: put, get (URL-encoded document), list, delete; DeleteUser waits for them', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'inline' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'inline', PolicyName: 'read', PolicyDocument: readOnlyBatch }));
  const got = await iam.send(new GetUserPolicyCommand({ UserName: 'inline', PolicyName: 'read' }));
  assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), readOnlyBatch);
  assert.deepEqual((await iam.send(new ListUserPoliciesCommand({ UserName: 'inline' }))).PolicyNames, ['read']);
  await rejectsWith(
    iam.send(new DeleteUserCommand({ UserName: 'inline' })),
    'DeleteConflictException',
    'Cannot delete entity, must delete policies first.',
  );
  await rejectsWith(
    iam.send(new GetUserPolicyCommand({ UserName: 'inline', PolicyName: 'other' })),
    'NoSuchEntityException',
    'The user policy with name other cannot be found.',
  );
  await iam.send(new DeleteUserPolicyCommand({ UserName: 'inline', PolicyName: 'read' }));
  assert.deepEqual((await iam.send(new ListUserPoliciesCommand({ UserName: 'inline' }))).PolicyNames, []);
  await iam.send(new DeleteUserCommand({ UserName: 'inline' }));
});

test('PutUserPolicy: malformed documents are MalformedPolicyDocument with IAM messages', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'malformed' }));
  await rejectsWith(
    iam.send(new PutUserPolicyCommand({ UserName: 'malformed', PolicyName: 'p', PolicyDocument: '{not json' })),
    'MalformedPolicyDocumentException',
  );
  const withPrincipal = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
  });
  await rejectsWith(
    iam.send(new PutUserPolicyCommand({ UserName: 'malformed', PolicyName: 'p', PolicyDocument: withPrincipal })),
    'MalformedPolicyDocumentException',
    'Policy document should not specify a principal.',
  );
});

test('attached user policies: attach an AWS managed policy, list, detach; unknown ARNs are NoSuchEntity', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'attached' }));
  const arn = 'arn:aws:iam::aws:policy/AdministratorAccess';
  await iam.send(new AttachUserPolicyCommand({ UserName: 'attached', PolicyArn: arn }));
  const listed = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'attached' }));
  assert.deepEqual(listed.AttachedPolicies, [{ PolicyName: 'AdministratorAccess', PolicyArn: arn }]);
  await rejectsWith(
    iam.send(new DeleteUserCommand({ UserName: 'attached' })),
    'DeleteConflictException',
    'Cannot delete entity, must detach all policies first.',
  );
  const missing = 'arn:aws:iam::000000000000:policy/none';
  await rejectsWith(
    iam.send(new AttachUserPolicyCommand({ UserName: 'attached', PolicyArn: missing })),
    'NoSuchEntityException',
    `Policy ${missing} does not exist or is not attachable.`,
  );
  await iam.send(new DetachUserPolicyCommand({ UserName: 'attached', PolicyArn: arn }));
  assert.deepEqual((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'attached' }))).AttachedPolicies, []);
});

test('an IAM user signs with its own keys: allowed by its policy, refused (AccessDenied) beyond it', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'caller' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'caller', PolicyName: 'read', PolicyDocument: readOnlyBatch }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'caller' }))).AccessKey;
  const credentials = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
  const asUser = new IAMClient({ ...server.clientConfig, credentials });

  const me = await new STSClient({ ...server.clientConfig, credentials }).send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, 'arn:aws:iam::000000000000:user/caller');
  assert.equal(me.Account, '000000000000');
  assert.match(me.UserId ?? '', /^AIDA/);

  const self = await asUser.send(new GetUserCommand({}));
  assert.equal(self.User?.UserName, 'caller');
  await rejectsWith(
    asUser.send(new CreateUserCommand({ UserName: 'not-allowed' })),
    'AccessDenied',
    'User: arn:aws:iam::000000000000:user/caller is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/not-allowed because no identity-based policy allows the iam:CreateUser action',
  );
  await rejectsWith(iam.send(new GetUserCommand({ UserName: 'not-allowed' })), 'NoSuchEntityException');

  // A deactivated key stops working.
  await iam.send(new UpdateAccessKeyCommand({ UserName: 'caller', AccessKeyId: key?.AccessKeyId, Status: 'Inactive' }));
  await rejectsWith(asUser.send(new GetUserCommand({})), 'InvalidClientTokenId');
});
