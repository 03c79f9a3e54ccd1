/**
 * Identity state is durable: after a restart on the same data directory, IAM users' access keys
 * and STS sessions issued before it still sign requests.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startTestServer } from '../../helpers/server.js';

test('access keys and STS sessions survive a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'batchlink-iam-restart-'));
  try {
    const first = await startTestServer({ dataDir });
    const iam = new IAMClient(first.clientConfig);
    await iam.send(new CreateUserCommand({ UserName: 'durable' }));
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
    await iam.send(new PutUserPolicyCommand({ UserName: 'durable', PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'durable' }))).AccessKey;
    const userCreds = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }] };
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const c = (
      await new STSClient({ ...first.clientConfig, credentials: userCreds }).send(
        new AssumeRoleCommand({ RoleArn: role.Role?.Arn, RoleSessionName: 'before' }),
      )
    ).Credentials;
    await first.close();

    const second = await startTestServer({ dataDir });
    try {
      const asUser = await new STSClient({ ...second.clientConfig, credentials: userCreds }).send(new GetCallerIdentityCommand({}));
      assert.equal(asUser.Arn, 'arn:aws:iam::000000000000:user/durable');
      const sessionCreds = {
        accessKeyId: c?.AccessKeyId ?? '',
        secretAccessKey: c?.SecretAccessKey ?? '',
        sessionToken: c?.SessionToken ?? '',
      };
      const asSession = await new STSClient({ ...second.clientConfig, credentials: sessionCreds }).send(new GetCallerIdentityCommand({}));
      assert.equal(asSession.Arn, 'arn:aws:sts::000000000000:assumed-role/kept/before');
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
