/**
 * Fair-share scheduling and consumable resources at dispatch, with a stepped scheduler so the
 * test sees one allocation decision: two shares with weight factors 1 and 3 contending for 4
 * vCPUs get 3 and 1 (a lower weight factor gets more, as AWS documents), and a job needing a
 * consumable resource waits RUNNABLE until the quantity is free.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateConsumableResourceCommand,
  CreateJobQueueCommand,
  CreateSchedulingPolicyCommand,
  DescribeJobsCommand,
  ListJobsByConsumableResourceCommand,
  ListJobsCommand,
  SubmitJobCommand,
  TerminateJobCommand,
} from '@aws-sdk/client-batch';
import { ManualClock } from '../../../src/core/clock.js';
import { startTestServer, waitFor } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { registerCommand } from '../../helpers/batch-setup.js';

let server: TestServer;
let batch: BatchClient;

before(async () => {
  server = await startTestServer({ autoSchedule: false, killGraceMs: 100 });
  batch = new BatchClient(server.clientConfig);
  await batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'fs', type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'] } }));
  server.app.scheduler.step();
  await registerCommand(batch, 'sleepy', ['sleep', '30']);
});
after(async () => {
  batch.destroy();
  await server.close();
});

async function statuses(ids: string[]): Promise<string[]> {
  const out = await batch.send(new DescribeJobsCommand({ jobs: ids }));
  const byId = new Map((out.jobs ?? []).map((j) => [j.jobId, j.status ?? '']));
  return ids.map((id) => byId.get(id) ?? '');
}

test('fair share: weight factors 1 and 3 under contention receive 3 and 1 of 4 vCPUs', async () => {
  const policy = await batch.send(
    new CreateSchedulingPolicyCommand({
      name: 'fair',
      fairsharePolicy: { shareDecaySeconds: 0, computeReservation: 0, shareDistribution: [{ shareIdentifier: 'light', weightFactor: 1 }, { shareIdentifier: 'heavy', weightFactor: 3 }] },
    }),
  );
  await batch.send(new CreateJobQueueCommand({ jobQueueName: 'fair', priority: 1, schedulingPolicyArn: policy.arn, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'fs' }] }));
  server.app.scheduler.step();
  await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 'noshare', jobQueue: 'fair', jobDefinition: 'sleepy' })), /Share identifier is required/);
  const heavy: string[] = [];
  const light: string[] = [];
  // The heavy share submits first: FIFO would give it everything.
  for (let i = 0; i < 6; i++) heavy.push((await batch.send(new SubmitJobCommand({ jobName: `h${i}`, jobQueue: 'fair', jobDefinition: 'sleepy', shareIdentifier: 'heavy' }))).jobId ?? '');
  for (let i = 0; i < 6; i++) light.push((await batch.send(new SubmitJobCommand({ jobName: `l${i}`, jobQueue: 'fair', jobDefinition: 'sleepy', shareIdentifier: 'light' }))).jobId ?? '');
  server.app.scheduler.step();
  const started = (ids: string[], s: string[]) => ids.filter((_, i) => s[i] === 'STARTING' || s[i] === 'RUNNING').length;
  const heavyStatus = await statuses(heavy);
  const lightStatus = await statuses(light);
  assert.equal(started(light, lightStatus), 3, `light: ${lightStatus.join(',')}`);
  assert.equal(started(heavy, heavyStatus), 1, `heavy: ${heavyStatus.join(',')}`);
  for (const id of [...heavy, ...light]) await batch.send(new TerminateJobCommand({ jobId: id, reason: 'done' }));
  await waitFor(async () => (await statuses([...heavy, ...light])).every((s) => s === 'FAILED'), 'all jobs to end');
  // The SHARE_IDENTIFIER filter combines with jobStatus (the one filter that does).
  const lightFailed = await batch.send(new ListJobsCommand({ jobQueue: 'fair', jobStatus: 'FAILED', filters: [{ name: 'SHARE_IDENTIFIER', values: ['light'] }] }));
  assert.deepEqual(lightFailed.jobSummaryList?.map((j) => j.jobId).sort(), [...light].sort());
  assert.ok(lightFailed.jobSummaryList?.every((j) => j.isTerminated === true && j.isCancelled === undefined));
  const lightRunning = await batch.send(new ListJobsCommand({ jobQueue: 'fair', filters: [{ name: 'SHARE_IDENTIFIER', values: ['light'] }] }));
  assert.deepEqual(lightRunning.jobSummaryList, [], 'jobStatus defaults to RUNNING with this filter');
});

test('consumable resources: a job waits RUNNABLE until the quantity it needs is free, and is listed by ListJobsByConsumableResource', async () => {
  await batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'licence', totalQuantity: 1, resourceType: 'REPLENISHABLE' }));
  await batch.send(new CreateJobQueueCommand({ jobQueueName: 'licensed', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'fs' }] }));
  server.app.scheduler.step();
  await registerCommand(batch, 'needs-licence', ['sleep', '30'], { consumableResourceProperties: { consumableResourceList: [{ consumableResource: 'licence', quantity: 1 }] } });
  const first = (await batch.send(new SubmitJobCommand({ jobName: 'first', jobQueue: 'licensed', jobDefinition: 'needs-licence' }))).jobId ?? '';
  const second = (await batch.send(new SubmitJobCommand({ jobName: 'second', jobQueue: 'licensed', jobDefinition: 'needs-licence' }))).jobId ?? '';
  server.app.scheduler.step();
  assert.deepEqual((await statuses([first, second])).map((s) => (s === 'RUNNING' ? 'STARTING' : s)), ['STARTING', 'RUNNABLE']);
  const listed = await batch.send(new ListJobsByConsumableResourceCommand({ consumableResource: 'licence' }));
  assert.ok((listed.jobs ?? []).some((j) => j.jobArn?.endsWith(second)), 'the waiting job is listed');
  await batch.send(new TerminateJobCommand({ jobId: first, reason: 'free the licence' }));
  await waitFor(async () => (await statuses([first]))[0] === 'FAILED', 'the first job to end');
  server.app.scheduler.step();
  assert.match((await statuses([second]))[0] ?? '', /STARTING|RUNNING/);
  await batch.send(new TerminateJobCommand({ jobId: second, reason: 'done' }));
  const running = await batch.send(new ListJobsCommand({ jobQueue: 'licensed', jobStatus: 'RUNNABLE' }));
  assert.deepEqual(running.jobSummaryList, []);
});

test('fair share: a share that used the capacity recently (within shareDecaySeconds) waits while the other share catches up', async () => {
  const clock = new ManualClock(Date.now());
  const server2 = await startTestServer({ autoSchedule: false, killGraceMs: 100, clock });
  const b = new BatchClient(server2.clientConfig);
  try {
    await b.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'decay', type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'] } }));
    server2.app.scheduler.step();
    const policy = await b.send(
      new CreateSchedulingPolicyCommand({ name: 'decaying', fairsharePolicy: { shareDecaySeconds: 600, shareDistribution: [{ shareIdentifier: 'a', weightFactor: 1 }, { shareIdentifier: 'b', weightFactor: 1 }] } }),
    );
    await b.send(new CreateJobQueueCommand({ jobQueueName: 'decaying', priority: 1, schedulingPolicyArn: policy.arn, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'decay' }] }));
    server2.app.scheduler.step();
    await registerCommand(b, 'sleepy', ['sleep', '30']);
    const submit = async (share: string, n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await b.send(new SubmitJobCommand({ jobName: `${share}${i}`, jobQueue: 'decaying', jobDefinition: 'sleepy', shareIdentifier: share }))).jobId ?? '');
      return ids;
    };
    const statusOf = async (ids: string[]) => {
      const out = await b.send(new DescribeJobsCommand({ jobs: ids }));
      return ids.map((id) => out.jobs?.find((j) => j.jobId === id)?.status ?? '');
    };
    // Share a alone uses all 4 vCPUs for 5 minutes (manual clock), then its jobs end.
    const early = await submit('a', 4);
    server2.app.scheduler.step();
    clock.advance(300_000);
    server2.app.scheduler.step();
    for (const id of early) await b.send(new TerminateJobCommand({ jobId: id, reason: 'phase over' }));
    await waitFor(async () => (await statusOf(early)).every((s) => s === 'FAILED'), 'the early jobs to end');
    // Now both shares contend with equal weights: b, which has not run, gets most of the capacity.
    const a = await submit('a', 4);
    const bJobs = await submit('b', 4);
    server2.app.scheduler.step();
    const started = (s: string[]) => s.filter((x) => x === 'STARTING' || x === 'RUNNING').length;
    const aStarted = started(await statusOf(a));
    const bStarted = started(await statusOf(bJobs));
    assert.ok(bStarted >= 3 && aStarted <= 1, `a ${aStarted}, b ${bStarted}`);
    for (const id of [...a, ...bJobs]) await b.send(new TerminateJobCommand({ jobId: id, reason: 'done' }));
    await waitFor(async () => (await statusOf([...a, ...bJobs])).every((s) => s === 'FAILED'), 'all jobs to end');
  } finally {
    b.destroy();
    await server2.close();
  }
});
