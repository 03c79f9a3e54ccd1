/**
 * CancelJobs / TerminateJobs (per-job outcomes as AWS shapes them) and GetJobQueueSnapshot
 * (front of the queue in dispatch order, FIFO and fair share; capacity usage), with the
 * scheduler stepped by the test so queue positions are deterministic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BatchClient,
  CancelJobsCommand,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  CreateSchedulingPolicyCommand,
  DescribeJobsCommand,
  GetJobQueueSnapshotCommand,
  SubmitJobCommand,
  TerminateJobsCommand,
} from '@aws-sdk/client-batch';
import { ManualClock } from '../../../src/core/clock.js';
import { startTestServer, waitFor } from '../../helpers/server.js';
import { rejectsWith } from '../../helpers/assertions.js';
import type { TestServer } from '../../helpers/server.js';
import { registerCommand } from '../../helpers/batch-setup.js';

let server: TestServer;
let batch: BatchClient;
const clock = new ManualClock(Date.now());

/** A queue on its own compute environment; `enabled: false` keeps its jobs RUNNABLE. */
async function queue(name: string, opts: { enabled: boolean; maxvCpus?: number; schedulingPolicyArn?: string }): Promise<void> {
  await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: `${name}-ce`,
      type: 'MANAGED',
      state: opts.enabled ? 'ENABLED' : 'DISABLED',
      computeResources: { type: 'EC2', maxvCpus: opts.maxvCpus ?? 4, subnets: ['subnet-1'] },
    }),
  );
  server.app.scheduler.step();
  await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: name,
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: `${name}-ce` }],
      ...(opts.schedulingPolicyArn ? { schedulingPolicyArn: opts.schedulingPolicyArn } : {}),
    }),
  );
  server.app.scheduler.step();
}

async function submit(jobQueue: string, jobName: string, shareIdentifier?: string): Promise<{ jobId: string; jobArn: string }> {
  clock.advance(1000);
  const out = await batch.send(new SubmitJobCommand({ jobName, jobQueue, jobDefinition: 'sleeper', ...(shareIdentifier ? { shareIdentifier } : {}) }));
  return { jobId: out.jobId!, jobArn: out.jobArn! };
}

async function status(jobId: string) {
  return (await batch.send(new DescribeJobsCommand({ jobs: [jobId] }))).jobs?.[0];
}

before(async () => {
  server = await startTestServer({ clock, autoSchedule: false });
  batch = new BatchClient(server.clientConfig);
  await registerCommand(batch, 'sleeper', ['sleep', '30']);
});
after(async () => {
  batch.destroy();
  await server.close();
});

describe('GetJobQueueSnapshot', () => {
  test('FIFO queue: RUNNABLE jobs oldest first, with the time each reached its position', async () => {
    await queue('fifo', { enabled: false });
    const a = await submit('fifo', 'a');
    const b = await submit('fifo', 'b');
    const c = await submit('fifo', 'c');
    server.app.scheduler.step();
    const out = await batch.send(new GetJobQueueSnapshotCommand({ jobQueue: 'fifo' }));
    assert.deepEqual(out.frontOfQueue?.jobs?.map((j) => j.jobArn), [a.jobArn, b.jobArn, c.jobArn]);
    assert.equal(typeof out.frontOfQueue?.jobs?.[0]?.earliestTimeAtPosition, 'number');
    assert.equal(out.frontOfQueue?.lastUpdatedAt, clock.now());
    assert.deepEqual(out.queueUtilization?.totalCapacityUsage, [{ capacityUnit: 'VCPU', quantity: 0 }]);
    assert.equal(out.queueUtilization?.fairshareUtilization, undefined);
  });

  test('fair-share queue: the share with the least usage x weight factor goes next', async () => {
    const { arn } = await batch.send(new CreateSchedulingPolicyCommand({ name: 'snap-fair', fairsharePolicy: { shareDistribution: [{ shareIdentifier: 'teamB', weightFactor: 0.5 }] } }));
    await queue('fair', { enabled: false, schedulingPolicyArn: arn });
    const a1 = await submit('fair', 'a1', 'teamA');
    const a2 = await submit('fair', 'a2', 'teamA');
    const a3 = await submit('fair', 'a3', 'teamA');
    const b1 = await submit('fair', 'b1', 'teamB');
    const b2 = await submit('fair', 'b2', 'teamB');
    server.app.scheduler.step();
    const out = await batch.send(new GetJobQueueSnapshotCommand({ jobQueue: 'fair' }));
    // Weighted usage (vCPUs x weight factor; teamB's 0.5 gets twice the capacity): a1 first (both
    // idle, oldest head) -> A 1; B 0 -> b1 -> B 0.5; B 0.5 < A 1 -> b2; then a2, a3.
    assert.deepEqual(out.frontOfQueue?.jobs?.map((j) => j.jobArn), [a1.jobArn, b1.jobArn, b2.jobArn, a2.jobArn, a3.jobArn]);
    assert.deepEqual(out.queueUtilization?.fairshareUtilization, { activeShareCount: 0, topCapacityUtilization: [] });
  });

  test('capacity usage: vCPUs of STARTING/RUNNING jobs; an unknown queue is a ClientException', async () => {
    await queue('busy', { enabled: true, maxvCpus: 1 });
    const running = await submit('busy', 'runs');
    const waiting = await submit('busy', 'waits');
    server.app.scheduler.step();
    const out = await batch.send(new GetJobQueueSnapshotCommand({ jobQueue: 'busy' }));
    assert.deepEqual(out.queueUtilization?.totalCapacityUsage, [{ capacityUnit: 'VCPU', quantity: 1 }]);
    assert.deepEqual(out.frontOfQueue?.jobs?.map((j) => j.jobArn), [waiting.jobArn]);
    await batch.send(new TerminateJobsCommand({ jobs: [running.jobId, waiting.jobId], reason: 'done' }));
    await waitFor(async () => (await status(running.jobId))?.status === 'FAILED', 'terminated job FAILED');
    await rejectsWith(batch.send(new GetJobQueueSnapshotCommand({ jobQueue: 'no-such-queue' })), 'ClientException', /Job Queue no-such-queue does not exist/);
  });
});

describe('CancelJobs and TerminateJobs', () => {
  test('CancelJobs: cancels each job and reports unknown ones as errors with a code and message', async () => {
    await queue('cancel', { enabled: false });
    const a = await submit('cancel', 'ca');
    const b = await submit('cancel', 'cb');
    server.app.scheduler.step();
    const out = await batch.send(new CancelJobsCommand({ jobs: [a.jobId, 'missing-job', b.jobId], reason: 'bulk cancel' }));
    assert.deepEqual(out.successful, [a.jobId, b.jobId]);
    assert.equal(out.errors?.length, 1);
    assert.equal(out.errors?.[0]?.job, 'missing-job');
    assert.equal(out.errors?.[0]?.code, 'ClientException');
    assert.match(out.errors?.[0]?.message ?? '', /missing-job/);
    for (const id of [a.jobId, b.jobId]) {
      const job = await status(id);
      assert.deepEqual([job?.status, job?.statusReason, job?.isCancelled], ['FAILED', 'bulk cancel', true]);
    }
  });

  test('TerminateJobs: terminates waiting jobs with the reason', async () => {
    const c = await submit('cancel', 'cc');
    const out = await batch.send(new TerminateJobsCommand({ jobs: [c.jobId], reason: 'bulk terminate' }));
    assert.deepEqual(out.successful, [c.jobId]);
    assert.deepEqual(out.errors, []);
    const job = await status(c.jobId);
    assert.deepEqual([job?.status, job?.statusReason, job?.isTerminated], ['FAILED', 'bulk terminate', true]);
  });

  test('CancelJobs / TerminateJobs: refuse more than 50 jobs, none, or a reason over 1,024 characters', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `job-${i}`);
    await rejectsWith(batch.send(new CancelJobsCommand({ jobs: many, reason: 'r' })), 'ClientException', /jobs can have at most 50 items/);
    await rejectsWith(batch.send(new TerminateJobsCommand({ jobs: [], reason: 'r' })), 'ClientException', /jobs must contain at least one job ID/);
    await rejectsWith(batch.send(new TerminateJobsCommand({ jobs: ['x'], reason: 'r'.repeat(1025) })), 'ClientException', /reason must be at most 1024 characters/);
  });
});
