import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTagsCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { newVpc, rejects } from './ec2-test-kit.js';

const OTHER_ACCOUNT = '222233334444';
let server: TestServer;
let configDir: string;
let mine: EC2Client;
let theirs: EC2Client;

before(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'ec2-isolation-'));
  const configFile = join(configDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      accounts: [{ id: OTHER_ACCOUNT, rootAccessKeys: [{ accessKeyId: 'AKIAOTHERACCOUNT0001', secretAccessKey: 'other-secret' }] }],
    }),
  );
  server = await startTestServer({ configFile });
  mine = new EC2Client(server.clientConfig);
  theirs = new EC2Client({ ...server.clientConfig, credentials: { accessKeyId: 'AKIAOTHERACCOUNT0001', secretAccessKey: 'other-secret' } });
});
after(async () => {
  mine.destroy();
  theirs.destroy();
  await server.close();
  rmSync(configDir, { recursive: true, force: true });
});

test('Accounts are isolated: another account neither lists, reads nor tags my VPC, and owns its own', async () => {
  const myVpc = await newVpc(mine, '10.40.0.0/16');
  const theirVpc = await newVpc(theirs, '10.40.0.0/16');
  assert.deepEqual(
    (await theirs.send(new DescribeVpcsCommand({}))).Vpcs?.map((v) => [v.VpcId, v.OwnerId]),
    [[theirVpc, OTHER_ACCOUNT]],
  );
  await rejects(theirs.send(new DescribeVpcsCommand({ VpcIds: [myVpc] })), 'InvalidVpcID.NotFound', `The vpc ID '${myVpc}' does not exist`);
  await rejects(theirs.send(new CreateTagsCommand({ Resources: [myVpc], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidVpcID.NotFound');
  const groups = await theirs.send(new DescribeSecurityGroupsCommand({}));
  assert.deepEqual(
    groups.SecurityGroups?.map((g) => [g.VpcId, g.OwnerId]),
    [[theirVpc, OTHER_ACCOUNT]],
  );
  assert.ok(!(await mine.send(new DescribeVpcsCommand({}))).Vpcs?.some((v) => v.VpcId === theirVpc));
});
