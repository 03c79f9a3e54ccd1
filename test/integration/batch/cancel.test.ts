/**
 * CancelJob as AWS's API reference describes it, with a stepped scheduler: SUBMITTED and RUNNABLE
 * jobs end FAILED at once; a PENDING job is cancelled once its dependencies have completed (and
 * that survives a restart); an array parent cancels its waiting children and ends when the rest
 * have finished; STARTING/RUNNING jobs are left alone. Jobs that must run for a while wait for a
 * gate file the test creates, so nothing depends on timing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BatchClient,
  CancelJobCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  UpdateJobQueueCommand,
} from '@aws-sdk/client-batch';
import type { JobDetail, SubmitJobCommandInput } from '@aws-sdk/client-batch';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { createQueue, registerCommand, waitForStatus } from '../../helpers/batch-setup.js';

const GATED = ['sh', '-c', 'while [ ! -e "$GATE" ]; do sleep 0.02; done'];

async function describeJob(batch: BatchClient, jobId: string): Promise<JobDetail> {
  const job = (await batch.send(new DescribeJobsCommand({ jobs: [jobId] }))).jobs?.[0];
  assert.ok(job, `job ${jobId} is described`);
  return job;
}

async function submit(batch: BatchClient, input: Omit<SubmitJobCommandInput, 'jobName'> & { jobName?: string }): Promise<string> {
  const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'job', ...input }));
  return jobId;
}

describe('CancelJob with a stepped scheduler', () => {
  let server: TestServer;
  let batch: BatchClient;
  let gates: string;
  let gateCount = 0;
  const step = () => server.app.scheduler.step();

  /** A gate: jobs given its environment run until `open()` creates the file. */
  function gate(): { environment: Array<{ name: string; value: string }>; open(): void } {
    const path = join(gates, `gate-${gateCount++}`);
    return { environment: [{ name: 'GATE', value: path }], open: () => writeFileSync(path, '') };
  }

  before(async () => {
    server = await startTestServer({ autoSchedule: false, killGraceMs: 100 });
    batch = new BatchClient(server.clientConfig);
    gates = mkdtempSync(join(tmpdir(), 'batchlink-gates-'));
    await createQueue(batch, 'roomy', 2, step);
    await createQueue(batch, 'tiny', 1, step);
    await registerCommand(batch, 'gated', GATED);
    await registerCommand(batch, 'ok', ['true']);
    await registerCommand(batch, 'wide', ['true'], { containerProperties: { image: 'busybox', vcpus: 2, memory: 64, command: ['true'] } });
  });
  after(async () => {
    batch.destroy();
    await server.close();
    rmSync(gates, { recursive: true, force: true });
  });

  test('a SUBMITTED job and a RUNNABLE job end FAILED at once, with the reason and isCancelled', async () => {
    const submitted = await submit(batch, { jobQueue: 'roomy', jobDefinition: 'ok' });
    assert.equal((await describeJob(batch, submitted)).status, 'SUBMITTED');
    await batch.send(new CancelJobCommand({ jobId: submitted, reason: 'changed my mind' }));
    const a = await describeJob(batch, submitted);
    assert.deepEqual([a.status, a.statusReason, a.isCancelled, a.attempts?.length], ['FAILED', 'changed my mind', true, 0]);

    const runnable = await submit(batch, { jobQueue: 'tiny', jobDefinition: 'wide' }); // 2 vCPUs never fit in 1
    step();
    assert.equal((await describeJob(batch, runnable)).status, 'RUNNABLE');
    await batch.send(new CancelJobCommand({ jobId: runnable, reason: 'too big' }));
    const b = await describeJob(batch, runnable);
    assert.deepEqual([b.status, b.statusReason, b.isCancelled], ['FAILED', 'too big', true]);
    assert.ok(b.stoppedAt !== undefined);
  });

  test('a PENDING job stays PENDING (isCancelled, the reason) until its dependency finishes, then ends FAILED instead of running', async () => {
    const g = gate();
    const dependency = await submit(batch, {
      jobQueue: 'roomy',
      jobDefinition: 'gated',
      containerOverrides: { environment: g.environment },
    });
    const dependent = await submit(batch, { jobQueue: 'roomy', jobDefinition: 'ok', dependsOn: [{ jobId: dependency }] });
    const grandchild = await submit(batch, { jobQueue: 'roomy', jobDefinition: 'ok', dependsOn: [{ jobId: dependent }] });
    step();
    await waitForStatus(batch, dependency, ['RUNNING']);
    assert.equal((await describeJob(batch, dependent)).status, 'PENDING');

    await batch.send(new CancelJobCommand({ jobId: dependent, reason: 'not wanted' }));
    await batch.send(new CancelJobCommand({ jobId: dependent, reason: 'asked twice' })); // harmless
    step();
    step();
    const waiting = await describeJob(batch, dependent);
    assert.deepEqual([waiting.status, waiting.statusReason, waiting.isCancelled], ['PENDING', 'not wanted', true]);
    assert.equal((await describeJob(batch, grandchild)).status, 'PENDING');

    g.open();
    await waitForStatus(batch, dependency, ['SUCCEEDED']);
    const ended = await describeJob(batch, dependent);
    assert.deepEqual([ended.status, ended.statusReason, ended.isCancelled, ended.attempts?.length], ['FAILED', 'not wanted', true, 0]);
    const after = await describeJob(batch, grandchild);
    assert.deepEqual([after.status, after.statusReason, after.isCancelled], ['FAILED', 'Dependent Job failed', undefined]);
    step();
    assert.equal((await describeJob(batch, dependent)).status, 'FAILED', 'it never runs');
  });

  test('an array parent: waiting children end FAILED at once, running ones are left to finish, then the parent ends FAILED and cancelled', async () => {
    const g = gate();
    const parentId = await submit(batch, {
      jobQueue: 'roomy',
      jobDefinition: 'gated',
      arrayProperties: { size: 4 },
      containerOverrides: { environment: g.environment },
    });
    assert.equal((await describeJob(batch, parentId)).status, 'SUBMITTED');
    step(); // children spawned and RUNNABLE; two fit and start
    assert.equal((await describeJob(batch, parentId)).status, 'PENDING', 'PENDING once a child is RUNNABLE');
    await waitForStatus(batch, `${parentId}:0`, ['RUNNING']);
    await waitForStatus(batch, `${parentId}:1`, ['RUNNING']);

    await batch.send(new CancelJobCommand({ jobId: parentId, reason: 'stop the array' }));
    const parent = await describeJob(batch, parentId);
    assert.deepEqual([parent.status, parent.statusReason, parent.isCancelled], ['PENDING', 'stop the array', true]);
    for (const index of [2, 3]) {
      const child = await describeJob(batch, `${parentId}:${index}`);
      assert.deepEqual([child.status, child.statusReason, child.isCancelled], ['FAILED', 'stop the array', true]);
    }
    for (const index of [0, 1]) {
      const child = await describeJob(batch, `${parentId}:${index}`);
      assert.deepEqual([child.status, child.isCancelled], ['RUNNING', undefined], 'a RUNNING job is not cancelled');
    }
    step();
    assert.equal((await describeJob(batch, parentId)).status, 'PENDING', 'the parent waits for its running children');

    g.open();
    const ended = await waitForStatus(batch, parentId, ['FAILED', 'SUCCEEDED']);
    assert.deepEqual([ended.status, ended.statusReason, ended.isCancelled], ['FAILED', 'stop the array', true]);
    assert.equal(ended.arrayProperties?.statusSummary?.SUCCEEDED, 2);
    assert.equal(ended.arrayProperties?.statusSummary?.FAILED, 2);
  });

  test('an array parent cancelled before its children are spawned: each child is cancelled as it is spawned, none starts, and the parent ends', async () => {
    const parentId = await submit(batch, { jobQueue: 'roomy', jobDefinition: 'ok', arrayProperties: { size: 2500 } });
    await batch.send(new CancelJobCommand({ jobId: parentId, reason: 'never mind' }));
    const waiting = await describeJob(batch, parentId);
    assert.deepEqual([waiting.status, waiting.isCancelled, waiting.statusReason], ['SUBMITTED', true, 'never mind']);
    step(); // the first 1,000 children
    const partly = await describeJob(batch, parentId);
    assert.equal(partly.status, 'SUBMITTED', 'no child became RUNNABLE');
    assert.equal(partly.arrayProperties?.statusSummary?.FAILED, 1000);
    step();
    step();
    const parent = await describeJob(batch, parentId);
    assert.deepEqual([parent.status, parent.statusReason, parent.isCancelled], ['FAILED', 'never mind', true]);
    assert.equal(parent.arrayProperties?.statusSummary?.FAILED, 2500);
    const last = await describeJob(batch, `${parentId}:2499`);
    assert.deepEqual([last.status, last.statusReason, last.isCancelled, last.attempts?.length], ['FAILED', 'never mind', true, 0]);
    for (const jobStatus of ['STARTING', 'RUNNING', 'SUCCEEDED'] as const) {
      const started = await batch.send(new ListJobsCommand({ arrayJobId: parentId, jobStatus }));
      assert.equal(started.jobSummaryList?.length, 0, `no child is ${jobStatus}`);
    }
  });

  test('an array parent cancelled with some children spawned: the spawned ones end at once, the rest as they are spawned', async () => {
    const parentId = await submit(batch, { jobQueue: 'tiny', jobDefinition: 'wide', arrayProperties: { size: 1500 } });
    step(); // 1,000 children, RUNNABLE (none fits)
    assert.equal((await describeJob(batch, parentId)).status, 'PENDING');
    await batch.send(new CancelJobCommand({ jobId: parentId, reason: 'half way' }));
    const partly = await describeJob(batch, parentId);
    assert.equal(partly.status, 'PENDING');
    assert.equal(partly.arrayProperties?.statusSummary?.FAILED, 1000);
    step();
    const parent = await describeJob(batch, parentId);
    assert.deepEqual([parent.status, parent.statusReason, parent.isCancelled], ['FAILED', 'half way', true]);
    assert.equal(parent.arrayProperties?.statusSummary?.FAILED, 1500);
  });

  test('an array parent stays SUBMITTED while its children wait for a dependency, and goes PENDING when one becomes RUNNABLE', async () => {
    const g = gate();
    const dependency = await submit(batch, {
      jobQueue: 'roomy',
      jobDefinition: 'gated',
      containerOverrides: { environment: g.environment },
    });
    const parentId = await submit(batch, {
      jobQueue: 'roomy',
      jobDefinition: 'ok',
      arrayProperties: { size: 2 },
      dependsOn: [{ jobId: dependency }],
    });
    const cancelled = await submit(batch, {
      jobQueue: 'roomy',
      jobDefinition: 'ok',
      arrayProperties: { size: 2 },
      dependsOn: [{ jobId: dependency }],
    });
    step();
    step();
    await waitForStatus(batch, dependency, ['RUNNING']);
    assert.equal((await describeJob(batch, parentId)).status, 'SUBMITTED');
    assert.equal((await describeJob(batch, `${parentId}:0`)).status, 'PENDING');

    await batch.send(new CancelJobCommand({ jobId: cancelled, reason: 'array not needed' }));
    const waitingChild = await describeJob(batch, `${cancelled}:1`);
    assert.deepEqual([waitingChild.status, waitingChild.isCancelled, waitingChild.statusReason], ['PENDING', true, 'array not needed']);

    g.open();
    await waitForStatus(batch, dependency, ['SUCCEEDED']);
    assert.equal((await describeJob(batch, `${parentId}:0`)).status, 'RUNNABLE');
    assert.equal((await describeJob(batch, parentId)).status, 'PENDING');
    const ended = await describeJob(batch, cancelled);
    assert.deepEqual([ended.status, ended.statusReason, ended.isCancelled], ['FAILED', 'array not needed', true]);
    assert.equal(ended.arrayProperties?.statusSummary?.FAILED, 2);
    step();
    assert.equal((await waitForStatus(batch, parentId, ['SUCCEEDED', 'FAILED'])).status, 'SUCCEEDED');
  });

  test('a multi-node job whose nodes wait for capacity: its nodes end FAILED at once and it ends FAILED and cancelled', async () => {
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'mnp-wide',
        type: 'multinode',
        nodeProperties: {
          numNodes: 2,
          mainNode: 0,
          nodeRangeProperties: [{ targetNodes: '0:', container: { image: 'busybox', vcpus: 2, memory: 64, command: ['true'] } }],
        },
      }),
    );
    const jobId = await submit(batch, { jobQueue: 'tiny', jobDefinition: 'mnp-wide' });
    step();
    assert.equal((await describeJob(batch, `${jobId}#0`)).status, 'RUNNABLE');
    await batch.send(new CancelJobCommand({ jobId, reason: 'no room' }));
    const job = await describeJob(batch, jobId);
    assert.deepEqual([job.status, job.statusReason, job.isCancelled], ['FAILED', 'no room', true]);
    for (const node of [0, 1]) {
      const n = await describeJob(batch, `${jobId}#${node}`);
      assert.deepEqual([n.status, n.statusReason, n.isCancelled], ['FAILED', 'no room', true]);
    }
  });
});

test('a PENDING job cancelled before a restart ends FAILED with the reason once its dependency completes after it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'batchlink-cancel-'));
  const first = await startTestServer({ dataDir, autoSchedule: false });
  const client = new BatchClient(first.clientConfig);
  await createQueue(client, 'held', 1, () => first.app.scheduler.step());
  await registerCommand(client, 'ok', ['true']);
  const dependency = await submit(client, { jobQueue: 'held', jobDefinition: 'ok' });
  const dependent = await submit(client, { jobQueue: 'held', jobDefinition: 'ok', dependsOn: [{ jobId: dependency }] });
  await client.send(new UpdateJobQueueCommand({ jobQueue: 'held', state: 'DISABLED' })); // holds the dependency RUNNABLE
  first.app.scheduler.step();
  assert.equal((await describeJob(client, dependency)).status, 'RUNNABLE');
  await client.send(new CancelJobCommand({ jobId: dependent, reason: 'cancelled before the restart' }));
  client.destroy();
  await first.close();

  const second = await startTestServer({ dataDir, autoSchedule: false });
  const again = new BatchClient(second.clientConfig);
  try {
    const waiting = await describeJob(again, dependent);
    assert.deepEqual([waiting.status, waiting.statusReason, waiting.isCancelled], ['PENDING', 'cancelled before the restart', true]);
    await again.send(new UpdateJobQueueCommand({ jobQueue: 'held', state: 'ENABLED' }));
    second.app.scheduler.step();
    second.app.scheduler.step();
    await waitForStatus(again, dependency, ['SUCCEEDED']);
    const ended = await describeJob(again, dependent);
    assert.deepEqual(
      [ended.status, ended.statusReason, ended.isCancelled, ended.attempts?.length],
      ['FAILED', 'cancelled before the restart', true, 0],
    );
  } finally {
    again.destroy();
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
