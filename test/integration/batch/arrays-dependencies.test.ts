/**
 * Array jobs and dependencies as AWS's user guide describes them: children `<id>:<index>` with
 * AWS_BATCH_JOB_ARRAY_INDEX, a parent whose status follows its children with a statusSummary,
 * dependsOn (plain, N_TO_N, SEQUENTIAL), and a failed dependency failing its dependents.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BatchClient, CancelJobCommand, DescribeJobsCommand, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { createQueue, registerCommand, waitForStatus } from '../../helpers/batch-setup.js';

let server: TestServer;
let batch: BatchClient;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer();
  batch = new BatchClient(server.clientConfig);
  logs = new CloudWatchLogsClient(server.clientConfig);
  await createQueue(batch, 'arrays', 4);
  await registerCommand(batch, 'index', ['sh', '-c', 'echo "$AWS_BATCH_JOB_ARRAY_INDEX/$AWS_BATCH_JOB_ARRAY_SIZE"']);
  await registerCommand(batch, 'stamp', ['sh', '-c', 'date +%s%N']);
  await registerCommand(batch, 'fail', ['false']);
  await registerCommand(batch, 'ok', ['true']);
});
after(async () => {
  batch.destroy();
  logs.destroy();
  await server.close();
});

async function firstLine(streamName: string): Promise<string> {
  const out = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/batch/job', logStreamName: streamName, startFromHead: true }));
  return out.events?.[0]?.message ?? '';
}

test('array job: children <id>:<index> each see their index; the parent SUCCEEDS with a statusSummary', async () => {
  const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'arr', jobQueue: 'arrays', jobDefinition: 'index', arrayProperties: { size: 10 } }));
  const parent = await waitForStatus(batch, jobId, ['SUCCEEDED', 'FAILED'], 30_000);
  assert.equal(parent.status, 'SUCCEEDED');
  assert.equal(parent.arrayProperties?.size, 10);
  assert.equal(parent.arrayProperties?.statusSummary?.SUCCEEDED, 10);
  const children = await batch.send(new ListJobsCommand({ arrayJobId: jobId, jobStatus: 'SUCCEEDED' }));
  assert.deepEqual(children.jobSummaryList?.map((j) => j.jobId), Array.from({ length: 10 }, (_, i) => `${jobId}:${i}`));
  assert.deepEqual(children.jobSummaryList?.map((j) => j.arrayProperties?.index), Array.from({ length: 10 }, (_, i) => i));
  const described = await batch.send(new DescribeJobsCommand({ jobs: [`${jobId}:7`] }));
  const child = described.jobs?.[0];
  assert.equal(child?.jobArn, `arn:aws:batch:us-east-1:000000000000:job/${jobId}:7`);
  assert.equal(await firstLine(child?.container?.logStreamName ?? ''), '7/10');
});

test('array job: refuses sizes 1 and 10,001', async () => {
  for (const size of [1, 10_001]) {
    await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 'bad', jobQueue: 'arrays', jobDefinition: 'ok', arrayProperties: { size } })), /between 2 and 10,000/);
  }
});

test('dependsOn: a job waits PENDING for its dependency and runs after it succeeds', async () => {
  const first = await batch.send(new SubmitJobCommand({ jobName: 'first', jobQueue: 'arrays', jobDefinition: 'stamp' }));
  const second = await batch.send(new SubmitJobCommand({ jobName: 'second', jobQueue: 'arrays', jobDefinition: 'stamp', dependsOn: [{ jobId: first.jobId }] }));
  const a = await waitForStatus(batch, first.jobId ?? '', ['SUCCEEDED']);
  const b = await waitForStatus(batch, second.jobId ?? '', ['SUCCEEDED']);
  assert.ok((b.startedAt ?? 0) >= (a.stoppedAt ?? Infinity), 'the dependent started after its dependency stopped');
  assert.deepEqual(b.dependsOn, [{ jobId: first.jobId }]);
});

test('dependsOn: a failed dependency fails the dependent and its own dependents', async () => {
  const failing = await batch.send(new SubmitJobCommand({ jobName: 'failing', jobQueue: 'arrays', jobDefinition: 'fail' }));
  const child = await batch.send(new SubmitJobCommand({ jobName: 'child', jobQueue: 'arrays', jobDefinition: 'ok', dependsOn: [{ jobId: failing.jobId }] }));
  const grandchild = await batch.send(new SubmitJobCommand({ jobName: 'grandchild', jobQueue: 'arrays', jobDefinition: 'ok', dependsOn: [{ jobId: child.jobId }] }));
  for (const id of [child.jobId, grandchild.jobId]) {
    const job = await waitForStatus(batch, id ?? '', ['FAILED', 'SUCCEEDED']);
    assert.equal(job.status, 'FAILED');
    assert.equal(job.statusReason, 'Dependent Job failed');
    assert.equal(job.attempts?.length, 0, 'it never ran');
  }
});

test('dependsOn: refuses more than 20 dependencies and unknown job ids', async () => {
  const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'dep', jobQueue: 'arrays', jobDefinition: 'ok' }));
  await assert.rejects(
    batch.send(new SubmitJobCommand({ jobName: 'many', jobQueue: 'arrays', jobDefinition: 'ok', dependsOn: Array.from({ length: 21 }, () => ({ jobId })) })),
    /at most 20/,
  );
  await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 'ghost', jobQueue: 'arrays', jobDefinition: 'ok', dependsOn: [{ jobId: 'nope' }] })), /does not exist/);
});

test('N_TO_N: child i of the dependent array starts after child i of the first array', async () => {
  const a = await batch.send(new SubmitJobCommand({ jobName: 'a', jobQueue: 'arrays', jobDefinition: 'stamp', arrayProperties: { size: 3 } }));
  const b = await batch.send(
    new SubmitJobCommand({ jobName: 'b', jobQueue: 'arrays', jobDefinition: 'stamp', arrayProperties: { size: 3 }, dependsOn: [{ jobId: a.jobId, type: 'N_TO_N' }] }),
  );
  await waitForStatus(batch, b.jobId ?? '', ['SUCCEEDED'], 30_000);
  const ids = [0, 1, 2].flatMap((i) => [`${a.jobId}:${i}`, `${b.jobId}:${i}`]);
  const jobs = new Map(((await batch.send(new DescribeJobsCommand({ jobs: ids }))).jobs ?? []).map((j) => [j.jobId, j]));
  for (const i of [0, 1, 2]) {
    assert.deepEqual(jobs.get(`${b.jobId}:${i}`)?.dependsOn, [{ jobId: `${a.jobId}:${i}` }]);
    assert.ok((jobs.get(`${b.jobId}:${i}`)?.startedAt ?? 0) >= (jobs.get(`${a.jobId}:${i}`)?.stoppedAt ?? Infinity));
  }
  await assert.rejects(
    batch.send(new SubmitJobCommand({ jobName: 'c', jobQueue: 'arrays', jobDefinition: 'ok', arrayProperties: { size: 4 }, dependsOn: [{ jobId: a.jobId, type: 'N_TO_N' }] })),
    /same size/,
  );
});

test('SEQUENTIAL: children run one after another in index order', async () => {
  const { jobId = '' } = await batch.send(
    new SubmitJobCommand({ jobName: 'seq', jobQueue: 'arrays', jobDefinition: 'stamp', arrayProperties: { size: 4 }, dependsOn: [{ type: 'SEQUENTIAL' }] }),
  );
  await waitForStatus(batch, jobId, ['SUCCEEDED'], 30_000);
  const jobs = (await batch.send(new DescribeJobsCommand({ jobs: [0, 1, 2, 3].map((i) => `${jobId}:${i}`) }))).jobs ?? [];
  for (let i = 1; i < 4; i++) assert.ok((jobs[i]?.startedAt ?? 0) >= (jobs[i - 1]?.stoppedAt ?? Infinity), `child ${i} after child ${i - 1}`);
});

test('CancelJob on an array parent cancels the children that have not started; the parent ends FAILED', async () => {
  await createQueue(batch, 'nocap', 1);
  await registerCommand(batch, 'twocpu', ['true'], { containerProperties: { image: 'busybox', vcpus: 2, memory: 64, command: ['true'] } });
  const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'stuck', jobQueue: 'nocap', jobDefinition: 'twocpu', arrayProperties: { size: 3 } }));
  await waitForStatus(batch, jobId, ['PENDING']);
  await batch.send(new CancelJobCommand({ jobId, reason: 'not needed' }));
  const parent = await waitForStatus(batch, jobId, ['FAILED']);
  assert.equal(parent.arrayProperties?.statusSummary?.FAILED, 3);
  const child = (await batch.send(new DescribeJobsCommand({ jobs: [`${jobId}:0`] }))).jobs?.[0];
  assert.equal(child?.statusReason, 'not needed');
  assert.equal(child?.isCancelled, true);
});

test('a large array is accepted at once; children are spawned in chunks by the scheduler, and spawning resumes after a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'batchlink-array-'));
  const first = await startTestServer({ dataDir, autoSchedule: false });
  const client = new BatchClient(first.clientConfig);
  await createQueue(client, 'spawn', 1, () => first.app.scheduler.step());
  await registerCommand(client, 'noop', ['true']);
  const { jobId = '' } = await client.send(new SubmitJobCommand({ jobName: 'big', jobQueue: 'spawn', jobDefinition: 'noop', arrayProperties: { size: 2500 } }));
  const count = async (c: BatchClient) => {
    let n = 0;
    let nextToken: string | undefined;
    do {
      const page = await c.send(new ListJobsCommand({ arrayJobId: jobId, filters: [{ name: 'JOB_NAME', values: ['big'] }], ...(nextToken ? { nextToken } : {}) }));
      n += page.jobSummaryList?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
    return n;
  };
  assert.equal(await count(client), 0, 'SubmitJob wrote only the parent');
  first.app.scheduler.step();
  assert.equal(await count(client), 1000, 'one chunk per pass');
  client.destroy();
  await first.close();
  const second = await startTestServer({ dataDir, autoSchedule: false });
  const again = new BatchClient(second.clientConfig);
  second.app.scheduler.step();
  second.app.scheduler.step();
  assert.equal(await count(again), 2500);
  const child = (await again.send(new DescribeJobsCommand({ jobs: [`${jobId}:2499`] }))).jobs?.[0];
  assert.equal(child?.arrayProperties?.index, 2499);
  again.destroy();
  await second.close();
  rmSync(dataDir, { recursive: true, force: true });
});
