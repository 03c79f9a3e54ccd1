/**
 * `batchlink policy simulate` as a user runs it: with policy files, and against a data
 * directory's state (a user's policies, an endpoint's policy). Exit code 0 means allowed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
const endpointPolicy = join(dir, 'endpoint.json');
writeFileSync(
  endpointPolicy,
  JSON.stringify({ Statement: [{ Principal: '*', Effect: 'Allow', Action: ['batch:SubmitJob', 'batch:ListJobs', 'batch:DescribeJobs'], Resource: '*' }] }),
);
const userPolicy = join(dir, 'user.json');
writeFileSync(userPolicy, JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoCancel', Effect: 'Deny', Action: 'batch:CancelJob', Resource: '*' }, { Effect: 'Allow', Action: 'batch:*', Resource: '*' }] }));

async function simulate(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'policy', 'simulate', ...args], { cwd: ROOT });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

test('policy simulate: AWS’s example endpoint policy allows SubmitJob and refuses CancelJob with the endpoint-policy reason', async () => {
  const allowed = await simulate('--action', 'batch:SubmitJob', '--resource', '*', '--endpoint-policy', endpointPolicy, '--vpce', 'vpce-0abc');
  assert.equal(allowed.code, 0);
  assert.match(allowed.out, /decision: Allow/);
  const denied = await simulate('--action', 'batch:CancelJob', '--resource', 'arn:aws:batch:us-east-1:000000000000:job/1', '--endpoint-policy', endpointPolicy, '--vpce', 'vpce-0abc');
  assert.equal(denied.code, 1);
  assert.match(denied.out, /because no VPC endpoint policy allows the batch:CancelJob action/);
});

test('policy simulate: an explicit deny in an identity policy names the statement that decided it', async () => {
  const denied = await simulate('--principal', 'arn:aws:iam::000000000000:user/alice', '--identity-policy', userPolicy, '--action', 'batch:CancelJob', '--resource', '*');
  assert.equal(denied.code, 1);
  assert.match(denied.out, /decision: ExplicitDeny/);
  assert.match(denied.out, /matched: Deny statement #0 \(Sid "NoCancel"\)/);
  assert.match(denied.out, /with an explicit deny in an identity-based policy/);
  const allowed = await simulate('--principal', 'arn:aws:iam::000000000000:user/alice', '--identity-policy', userPolicy, '--action', 'batch:SubmitJob', '--resource', '*');
  assert.equal(allowed.code, 0);
});
