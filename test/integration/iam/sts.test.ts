/**
 * STS through @aws-sdk/client-sts: GetCallerIdentity for root, user and assumed-role session;
 * AssumeRole's trust evaluation (trust policy AND identity policy, explicit denies, root
 * refused), the session as its own principal, DurationSeconds limits and expiry on a manual clock.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ManualClock } from '../../../src/core/clock.js';
import { startTestServer } from '../../helpers/server.js';
import { rejectsWith } from '../../helpers/assertions.js';
import { send, signedSend } from '../../helpers/signed-request.js';
import type { TestServer } from '../../helpers/server.js';

let server: TestServer;
let iam: IAMClient;
let sts: STSClient;
const clock = new ManualClock(Date.now());
const ACCOUNT = '000000000000';

before(async () => {
  server = await startTestServer({ clock });
  iam = new IAMClient(server.clientConfig);
  sts = new STSClient(server.clientConfig);
});
after(async () => server.close());

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
/** Clients sign with the wall clock plus an offset that keeps them in step with the manual clock. */
function clients(credentials: Creds) {
  const config = { ...server.clientConfig, credentials, systemClockOffset: clock.now() - Date.now() };
  return { iam: new IAMClient(config), sts: new STSClient(config) };
}

function trust(principal: unknown, condition?: unknown): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
  });
}

async function userWithKeys(name: string, policy?: unknown): Promise<Creds> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
  return { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
}

const allowAssume = (resource: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource }],
});

test('GetCallerIdentity: the root of the default account', async () => {
  const me = await sts.send(new GetCallerIdentityCommand({}));
  assert.deepEqual(
    { Account: me.Account, Arn: me.Arn, UserId: me.UserId },
    { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT },
  );
});

test('AssumeRole: the account root is refused with AWS message', async () => {
  await iam.send(
    new CreateRoleCommand({ RoleName: 'root-target', AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) }),
  );
  await rejectsWith(
    sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/root-target`, RoleSessionName: 's' + 'x' })),
    'AccessDenied',
    'Roles may not be assumed by root accounts.',
  );
});

test('AssumeRole: trust naming the account needs the user identity policy too; the session is its own principal', async () => {
  const role = await iam.send(
    new CreateRoleCommand({ RoleName: 'BatchOperator', Path: '/ops/', AssumeRolePolicyDocument: trust({ AWS: ACCOUNT }) }),
  );
  const roleArn = role.Role?.Arn ?? '';
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'BatchOperator', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));

  const withoutPolicy = clients(await userWithKeys('no-assume'));
  await rejectsWith(
    withoutPolicy.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'try' })),
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/no-assume is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  );

  const bob = clients(await userWithKeys('bob', allowAssume(roleArn)));
  const assumed = await bob.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'bob-session', DurationSeconds: 1800 }));
  const c = assumed.Credentials;
  assert.match(c?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
  assert.equal(c?.SecretAccessKey?.length, 40);
  assert.ok((c?.SessionToken?.length ?? 0) > 100);
  assert.equal(c?.Expiration?.getTime(), Math.floor((clock.now() + 1800 * 1000) / 1000) * 1000);
  assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/BatchOperator/bob-session`);
  assert.equal(assumed.AssumedRoleUser?.AssumedRoleId, `${role.Role?.RoleId}:bob-session`);

  const session = clients({
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  });
  const me = await session.sts.send(new GetCallerIdentityCommand({}));
  assert.deepEqual(
    { Account: me.Account, Arn: me.Arn, UserId: me.UserId },
    {
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/BatchOperator/bob-session`,
      UserId: `${role.Role?.RoleId}:bob-session`,
    },
  );
  // The role's policies apply to the session: ReadOnlyAccess lets it list roles, not create them.
  assert.ok((await session.iam.send(new ListRolesCommand({}))).Roles?.length);
  await rejectsWith(
    session.iam.send(new CreateRoleCommand({ RoleName: 'escalate', AssumeRolePolicyDocument: trust({ AWS: ACCOUNT }) })),
    'AccessDenied',
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/BatchOperator/bob-session is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${ACCOUNT}:role/escalate because no identity-based policy allows the iam:CreateRole action`,
  );
  // Role chaining needs the role's own permission, and is limited to one hour.
  await rejectsWith(session.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'chain' })), 'AccessDenied');
  await iam.send(
    new PutRolePolicyCommand({ RoleName: 'BatchOperator', PolicyName: 'chain', PolicyDocument: JSON.stringify(allowAssume(roleArn)) }),
  );
  await rejectsWith(
    session.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'chain', DurationSeconds: 7200 })),
    'ValidationError',
    'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  );
});

test('AssumeRole: a trust policy naming the user itself grants without an identity policy; an explicit Deny wins', async () => {
  const carol = clients(await userWithKeys('carol'));
  await iam.send(
    new CreateRoleCommand({ RoleName: 'direct', AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCOUNT}:user/carol` }) }),
  );
  const ok = await carol.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/direct`, RoleSessionName: 'carol' }));
  assert.ok(ok.Credentials?.AccessKeyId);

  const dave = clients(
    await userWithKeys('dave', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }] }),
  );
  await iam.send(
    new CreateRoleCommand({ RoleName: 'direct-dave', AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCOUNT}:user/dave` }) }),
  );
  await rejectsWith(
    dave.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/direct-dave`, RoleSessionName: 'dave' })),
    'AccessDenied',
  );
});

test('AssumeRole: trust conditions (sts:ExternalId) are evaluated; unknown roles are AccessDenied', async () => {
  const erin = clients(await userWithKeys('erin', allowAssume('*')));
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/external`;
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'external',
      AssumeRolePolicyDocument: trust({ AWS: ACCOUNT }, { StringEquals: { 'sts:ExternalId': 'secret-1' } }),
    }),
  );
  await rejectsWith(erin.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'e1' })), 'AccessDenied');
  await rejectsWith(erin.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'e1', ExternalId: 'wrong-1' })), 'AccessDenied');
  assert.ok((await erin.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'e1', ExternalId: 'secret-1' }))).Credentials);
  await rejectsWith(
    erin.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/missing`, RoleSessionName: 'e1' })),
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/erin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/missing`,
  );
});

test('AssumeRole: DurationSeconds must be 900.. and at most the role MaxSessionDuration', async () => {
  const frank = clients(await userWithKeys('frank', allowAssume('*')));
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/short`;
  await iam.send(new CreateRoleCommand({ RoleName: 'short', AssumeRolePolicyDocument: trust({ AWS: ACCOUNT }) }));
  await rejectsWith(
    frank.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'f', DurationSeconds: 7200 } as never)),
    'ValidationError',
    /Value 'f' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2/,
  );
  await rejectsWith(
    frank.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ff', DurationSeconds: 7200 })),
    'ValidationError',
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  );
  await rejectsWith(
    frank.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ff', DurationSeconds: 100 })),
    'ValidationError',
    "1 validation error detected: Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  );
});

test('temporary credentials stop working at their Expiration (ExpiredToken), and need their session token', async () => {
  const gina = clients(await userWithKeys('gina', allowAssume('*')));
  await iam.send(new CreateRoleCommand({ RoleName: 'brief', AssumeRolePolicyDocument: trust({ AWS: ACCOUNT }) }));
  const c = (
    await gina.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/brief`, RoleSessionName: 'gina', DurationSeconds: 900 }),
    )
  ).Credentials;
  const creds = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
  assert.ok((await clients(creds).sts.send(new GetCallerIdentityCommand({}))).Arn);
  await rejectsWith(clients({ ...creds, sessionToken: 'forged' }).sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');

  clock.advance(899_000);
  assert.ok((await clients(creds).sts.send(new GetCallerIdentityCommand({}))).Arn, 'still valid one second before expiry');
  clock.advance(2_000);
  await rejectsWith(
    clients(creds).sts.send(new GetCallerIdentityCommand({})),
    'ExpiredToken',
    'The security token included in the request is expired',
  );
});

test('GetCallerIdentity as a presigned GET (the form EKS-style tokens use) answers XML with the caller', async () => {
  const res = await signedSend({
    url: server.app.url,
    method: 'GET',
    path: '/?Action=GetCallerIdentity&Version=2011-06-15',
    service: 'sts',
    presign: true,
    signingDate: new Date(clock.now()),
  });
  assert.equal(res.status, 200, res.body);
  assert.match(res.body, /<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>/);
  assert.match(res.body, new RegExp(`<Arn>arn:aws:iam::${ACCOUNT}:root</Arn>`));
});

test('unsigned and malformed STS requests get awsQuery errors', async () => {
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const res = await send(server.app.url, 'POST', '/', { 'content-type': 'application/x-www-form-urlencoded' }, body);
  assert.equal(res.status, 403);
  assert.match(
    res.body,
    /<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/,
  );
  const unknown = await signedSend({
    url: server.app.url,
    path: '/',
    body: 'Action=GetFederationToken&Version=2011-06-15&Name=x',
    service: 'sts',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    signingDate: new Date(clock.now()),
  });
  assert.equal(unknown.status, 400);
  assert.match(
    unknown.body,
    /<Code>InvalidAction<\/Code><Message>Could not find operation GetFederationToken for version 2011-06-15<\/Message>/,
  );
});
