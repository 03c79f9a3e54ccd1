/**
 * IAM from the outside: the AWS CLI (create-user, get-role, sts get-caller-identity with
 * --endpoint-url), and identities declared in the bootstrap config file — a user with access
 * keys and policies, a role, a managed policy and an instance profile — usable at first start.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateUserCommand,
  GetInstanceProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

const run = promisify(execFile);
const ACCOUNT = '111111111111';
const ALICE = { accessKeyId: 'AKIAALICEEXAMPLE0001', secretAccessKey: 'alice-secret-key-0000000000000000000000a' };
const ROOT = { accessKeyId: 'ROOTKEY111111111111', secretAccessKey: 'root-secret' };

let server: TestServer;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'batchlink-iam-config-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      accounts: [
        {
          id: ACCOUNT,
          rootAccessKeys: [ROOT],
          policies: [
            {
              name: 'AssumeOps',
              document: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/ops` }],
              },
            },
          ],
          users: [
            {
              name: 'alice',
              accessKeys: [ALICE],
              policies: [
                {
                  name: 'read-iam',
                  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] },
                },
              ],
              attachedPolicies: [`arn:aws:iam::${ACCOUNT}:policy/AssumeOps`],
            },
          ],
          roles: [
            {
              name: 'ops',
              assumeRolePolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }],
              },
              attachedPolicies: ['arn:aws:iam::aws:policy/AWSBatchFullAccess'],
            },
            {
              name: 'ecsInstanceRole',
              assumeRolePolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
              },
            },
          ],
          instanceProfiles: [{ name: 'ecsInstanceRole', roles: ['ecsInstanceRole'] }],
        },
      ],
    }),
  );
  server = await startTestServer({ configFile });
});
after(async () => server.close());

test('config file: a declared user signs with its declared keys, within its declared policies', async () => {
  const asAlice = { ...server.clientConfig, credentials: ALICE };
  const me = await new STSClient(asAlice).send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  const iam = new IAMClient(asAlice);
  assert.equal((await iam.send(new GetUserCommand({}))).User?.UserName, 'alice');
  await assert.rejects(iam.send(new CreateUserCommand({ UserName: 'mallory' })), { name: 'AccessDenied' });
  const assumed = await new STSClient(asAlice).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/ops`, RoleSessionName: 'alice' }),
  );
  assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ops/alice`);
});

test('config file: declared roles, attachments and instance profiles exist in the declared account only', async () => {
  const root = new IAMClient({ ...server.clientConfig, credentials: ROOT });
  const attached = await root.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ops' }));
  assert.deepEqual(
    attached.AttachedPolicies?.map((p) => p.PolicyName),
    ['AWSBatchFullAccess'],
  );
  const profile = await root.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }));
  assert.deepEqual(
    profile.InstanceProfile?.Roles?.map((r) => r.Arn),
    [`arn:aws:iam::${ACCOUNT}:role/ecsInstanceRole`],
  );
  const otherAccount = await new IAMClient(server.clientConfig).send(new ListUsersCommand({}));
  assert.deepEqual(otherAccount.Users, []);
});

/** The AWS CLI's environment: the root's keys, no user config or credentials files, no pager. */
function rootCliEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: ROOT.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
}

test('AWS CLI: iam create-user, iam get-role and sts get-caller-identity with --endpoint-url', async () => {
  const env = rootCliEnv();
  const aws = async (...args: string[]) =>
    JSON.parse((await run('aws', [...args, '--endpoint-url', server.app.url, '--output', 'json'], { env })).stdout) as Record<
      string,
      Record<string, unknown>
    >;
  const created = await aws('iam', 'create-user', '--user-name', 'cli-user', '--path', '/cli/');
  assert.equal(created.User?.Arn, `arn:aws:iam::${ACCOUNT}:user/cli/cli-user`);
  const role = await aws('iam', 'get-role', '--role-name', 'ops');
  // The CLI decodes IAM's URL-encoded policy documents into JSON.
  assert.deepEqual((role.Role?.AssumeRolePolicyDocument as { Statement: unknown[] }).Statement, [
    { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' },
  ]);
  const me = await aws('sts', 'get-caller-identity');
  assert.deepEqual(me, { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
});

const CLI_V2 = '/usr/bin/aws'; // Debian's AWS CLI v2 (the pyenv `aws` on PATH is v1)

test(
  'AWS CLI v2: list-users follows Marker across pages; assume-role as a declared user',
  { skip: !existsSync(CLI_V2) && 'AWS CLI v2 not installed' },
  async () => {
    const env = rootCliEnv();
    const aws = async (extra: Record<string, string>, ...args: string[]) =>
      JSON.parse(
        (await run(CLI_V2, [...args, '--endpoint-url', server.app.url, '--output', 'json'], { env: { ...env, ...extra } })).stdout,
      ) as Record<string, unknown>;
    for (const name of ['v2-a', 'v2-b', 'v2-c']) await aws({}, 'iam', 'create-user', '--user-name', name, '--path', '/v2/');
    const listed = await aws({}, 'iam', 'list-users', '--path-prefix', '/v2/', '--page-size', '2');
    assert.deepEqual(
      (listed.Users as Array<{ UserName: string }>).map((u) => u.UserName),
      ['v2-a', 'v2-b', 'v2-c'],
    );
    const assumed = await aws(
      { AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey },
      'sts',
      'assume-role',
      '--role-arn',
      `arn:aws:iam::${ACCOUNT}:role/ops`,
      '--role-session-name',
      'cli-v2',
    );
    assert.equal((assumed.AssumedRoleUser as { Arn: string }).Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ops/cli-v2`);
    const creds = assumed.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const me = await aws(
      { AWS_ACCESS_KEY_ID: creds.AccessKeyId, AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey, AWS_SESSION_TOKEN: creds.SessionToken },
      'sts',
      'get-caller-identity',
    );
    assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ops/cli-v2`);
  },
);
