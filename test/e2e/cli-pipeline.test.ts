/**
 * A small pipeline driven by the AWS CLI, as issue #5 describes: an array job of 10, a job
 * that depends on it N_TO_N, a job that fails once and succeeds on retry, and a job that times
 * out (timeouts are scaled down 100x for the test: AWS's minimum is 60 s).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, waitFor } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { awsCli, installedClis } from '../helpers/aws-cli.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ timeoutScale: 0.01 });
});
after(async () => server.close());

const [label, cli] = installedClis().find(([, path]) => path !== undefined) ?? ['AWS CLI', undefined];

test(`${label}: array of 10 -> N_TO_N dependent, retry after one failure, a timeout`, { skip: cli ? false : 'no AWS CLI installed' }, async () => {
  const aws = awsCli(cli as string, server.app.url);
  await aws('batch', 'create-compute-environment', '--compute-environment-name', 'pipe', '--type', 'MANAGED', '--compute-resources', 'type=EC2,maxvCpus=4,subnets=subnet-1,instanceRole=ecsInstanceRole');
  await waitFor(async () => ((await aws('batch', 'describe-compute-environments')) as { computeEnvironments: Array<{ status: string }> }).computeEnvironments[0]?.status === 'VALID', 'VALID');
  await aws('batch', 'create-job-queue', '--job-queue-name', 'pipe', '--priority', '1', '--compute-environment-order', 'order=1,computeEnvironment=pipe');
  const def = (name: string, command: string[], extra: string[] = []) =>
    aws('batch', 'register-job-definition', '--job-definition-name', name, '--type', 'container', '--container-properties', JSON.stringify({ image: 'busybox', vcpus: 1, memory: 64, command }), ...extra);
  await def('shard', ['sh', '-c', 'echo shard $AWS_BATCH_JOB_ARRAY_INDEX']);
  await def('flaky', ['sh', '-c', 'test "$AWS_BATCH_JOB_ATTEMPT" = 2'], ['--retry-strategy', 'attempts=2']);
  await def('slow', ['sleep', '30'], ['--timeout', 'attemptDurationSeconds=60']);
  const submit = async (...args: string[]) => ((await aws('batch', 'submit-job', '--job-queue', 'pipe', ...args)) as { jobId: string }).jobId;

  const shards = await submit('--job-name', 'shards', '--job-definition', 'shard', '--array-properties', 'size=10');
  const merge = await submit('--job-name', 'merge', '--job-definition', 'shard', '--array-properties', 'size=10', '--depends-on', `jobId=${shards},type=N_TO_N`);
  const flaky = await submit('--job-name', 'flaky', '--job-definition', 'flaky');
  const slow = await submit('--job-name', 'slow', '--job-definition', 'slow');

  const finished = await waitFor(async () => {
    const out = (await aws('batch', 'describe-jobs', '--jobs', shards, merge, flaky, slow)) as {
      jobs: Array<{ jobId: string; status: string; statusReason?: string; attempts: unknown[]; arrayProperties?: { statusSummary?: Record<string, number> } }>;
    };
    return out.jobs.every((j) => j.status === 'SUCCEEDED' || j.status === 'FAILED') ? new Map(out.jobs.map((j) => [j.jobId, j])) : undefined;
  }, 'the pipeline to finish', 60_000);
  assert.equal(finished.get(shards)?.status, 'SUCCEEDED');
  assert.equal(finished.get(shards)?.arrayProperties?.statusSummary?.SUCCEEDED, 10);
  assert.equal(finished.get(merge)?.status, 'SUCCEEDED');
  assert.equal(finished.get(flaky)?.status, 'SUCCEEDED');
  assert.equal(finished.get(flaky)?.attempts.length, 2);
  assert.equal(finished.get(slow)?.status, 'FAILED');
  assert.equal(finished.get(slow)?.statusReason, 'Job attempt duration exceeded timeout');
  const children = (await aws('batch', 'list-jobs', '--array-job-id', merge, '--job-status', 'SUCCEEDED')) as { jobSummaryList: unknown[] };
  assert.equal(children.jobSummaryList.length, 10);
});
