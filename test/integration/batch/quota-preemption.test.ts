/**
 * Quota-share preemption of service jobs (AWS Batch user guide, "Preemption"): cross-share
 * preemption gives a lender back the capacity a borrower took, a lowered capacity limit makes the
 * excess preemptible, in-share preemption (when ENABLED) lets a higher-priority job displace a
 * lower one, and preemptionRetriesBeforeTermination bounds the requeues. The scheduler is stepped
 * and the clock manual, so every placement and preemption decision is one visible step.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchClient,
  CreateJobQueueCommand,
  CreateQuotaShareCommand,
  CreateSchedulingPolicyCommand,
  CreateServiceEnvironmentCommand,
  DescribeJobQueuesCommand,
  DescribeServiceJobCommand,
  SubmitServiceJobCommand,
  TerminateServiceJobCommand,
  UpdateQuotaShareCommand,
  UpdateServiceJobCommand,
} from '@aws-sdk/client-batch';
import type { DescribeServiceJobCommandOutput } from '@aws-sdk/client-batch';
import { ManualClock } from '../../../src/core/clock.js';
import { startTestServer, waitFor } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

const BORROWED = 'PREEMPTED: Cross-share preemption reclaimed borrowed capacity';
const BORROWED_IN_PROGRESS = 'PREEMPTION_IN_PROGRESS: Cross-share preemption triggered to reclaim borrowed capacity';
const OVER_LIMIT = "PREEMPTED: Cross-share preemption reclaimed capacity above the quota share's capacity limits";
const IN_SHARE = 'PREEMPTED: In-share preemption by a higher priority job';

let server: TestServer;
let batch: BatchClient;
const clock = new ManualClock(Date.now()); // near real time: SigV4 signatures are checked against it

before(async () => {
  server = await startTestServer({ clock, autoSchedule: false, killGraceMs: 100 });
  batch = new BatchClient(server.clientConfig);
});
after(async () => {
  batch.destroy();
  await server.close();
});

const step = () => server.app.scheduler.step();

interface ShareSpec {
  name: string;
  limit: number;
  strategy: 'RESERVE' | 'LEND' | 'LEND_AND_BORROW';
  inShare?: 'ENABLED' | 'DISABLED';
}

/** A SAGEMAKER_TRAINING queue with a quota-share policy on an environment of `instances`, and its shares (name -> ARN). */
async function quotaQueue(queue: string, instances: number, shares: ShareSpec[]): Promise<Record<string, string>> {
  const { arn: policy } = await batch.send(new CreateSchedulingPolicyCommand({ name: `${queue}-policy`, quotaSharePolicy: { idleResourceAssignmentStrategy: 'FIFO' } }));
  await batch.send(new CreateServiceEnvironmentCommand({ serviceEnvironmentName: `${queue}-env`, serviceEnvironmentType: 'SAGEMAKER_TRAINING', capacityLimits: [{ maxCapacity: instances, capacityUnit: 'NUM_INSTANCES' }] }));
  await batch.send(
    new CreateJobQueueCommand({ jobQueueName: queue, priority: 1, jobQueueType: 'SAGEMAKER_TRAINING', schedulingPolicyArn: policy, serviceEnvironmentOrder: [{ order: 1, serviceEnvironment: `${queue}-env` }] }),
  );
  await waitFor(async () => {
    step();
    return (await batch.send(new DescribeJobQueuesCommand({ jobQueues: [queue] }))).jobQueues?.[0]?.status === 'VALID';
  }, `queue ${queue} VALID`);
  const arns: Record<string, string> = {};
  for (const s of shares) {
    const out = await batch.send(
      new CreateQuotaShareCommand({
        quotaShareName: s.name,
        jobQueue: queue,
        capacityLimits: [{ maxCapacity: s.limit, capacityUnit: 'ml.m5.large' }],
        resourceSharingConfiguration: s.strategy === 'LEND_AND_BORROW' ? { strategy: s.strategy, borrowLimit: 100 } : { strategy: s.strategy },
        preemptionConfiguration: { inSharePreemption: s.inShare ?? 'DISABLED' },
      }),
    );
    arns[s.name] = out.quotaShareArn!;
  }
  return arns;
}

async function submit(queue: string, quotaShareName: string, jobName: string, extra: { schedulingPriority?: number; preemptionRetriesBeforeTermination?: number } = {}): Promise<string> {
  const out = await batch.send(
    new SubmitServiceJobCommand({
      jobName,
      jobQueue: queue,
      quotaShareName,
      serviceJobType: 'SAGEMAKER_TRAINING',
      serviceRequestPayload: JSON.stringify({
        TrainingJobName: `${queue}-${jobName}`,
        AlgorithmSpecification: { TrainingImage: 'busybox', TrainingInputMode: 'File', ContainerEntrypoint: ['sh', '-c'], ContainerArguments: ['sleep 30'] },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      }),
      ...(extra.schedulingPriority !== undefined ? { schedulingPriority: extra.schedulingPriority } : {}),
      ...(extra.preemptionRetriesBeforeTermination !== undefined ? { preemptionConfiguration: { preemptionRetriesBeforeTermination: extra.preemptionRetriesBeforeTermination } } : {}),
    }),
  );
  return out.jobId!;
}

const describe = (jobId: string) => batch.send(new DescribeServiceJobCommand({ jobId }));

async function until(jobId: string, status: string): Promise<DescribeServiceJobCommandOutput> {
  return waitFor(async () => {
    const d = await describe(jobId);
    return d.status === status ? d : undefined;
  }, `service job ${jobId} ${status}`);
}

/** Places the submitted job with one scheduler step and waits for its process; the clock then moves on a second. */
async function run(jobId: string): Promise<DescribeServiceJobCommandOutput> {
  step();
  const d = await until(jobId, 'RUNNING');
  clock.advance(1000);
  return d;
}

/** Right after the step that preempted it, a job is still RUNNING, saying so, or already back. */
async function assertBeingPreempted(jobId: string, inProgress: string): Promise<void> {
  const d = await describe(jobId);
  if (d.status === 'RUNNING') assert.equal(d.statusReason, inProgress);
  else assert.ok(['RUNNABLE', 'FAILED'].includes(d.status ?? ''), `unexpected status ${d.status}`);
}

test('cross-share preemption: a lender’s job takes back the instance a borrower took; the borrower job is requeued with a preemptionSummary and runs again later', async () => {
  await quotaQueue('xs', 2, [
    { name: 'lender', limit: 1, strategy: 'LEND' },
    { name: 'borrower', limit: 1, strategy: 'LEND_AND_BORROW' },
  ]);
  const own = await submit('xs', 'borrower', 'own');
  await run(own);
  const borrowed = await submit('xs', 'borrower', 'borrowed');
  const borrowedRun = await run(borrowed); // borrows the lender's idle instance
  const trainingJobArn = borrowedRun.latestAttempt?.serviceResourceId?.value;
  assert.match(trainingJobArn ?? '', /training-job\/xs-borrowed$/);

  const lent = await submit('xs', 'lender', 'lent');
  step();
  assert.equal((await describe(lent)).status, 'RUNNABLE', 'the lender job waits until the borrower process has stopped');
  await assertBeingPreempted(borrowed, BORROWED_IN_PROGRESS);

  const requeued = await until(borrowed, 'RUNNABLE');
  assert.equal(requeued.statusReason, BORROWED);
  assert.deepEqual(requeued.attempts, [], 'a preempted attempt is reported in preemptionSummary, not attempts');
  assert.equal(requeued.preemptionSummary?.preemptedAttemptCount, 1);
  const [attempt] = requeued.preemptionSummary?.recentPreemptedAttempts ?? [];
  assert.deepEqual(attempt?.serviceResourceId, { name: 'TrainingJobArn', value: trainingJobArn });
  assert.equal(attempt?.startedAt, borrowedRun.startedAt);
  assert.equal(typeof attempt?.stoppedAt, 'number');
  assert.equal(attempt?.statusReason, BORROWED);
  const ownNow = await describe(own);
  assert.equal(ownNow.status, 'RUNNING', 'only the capacity the lender needs is reclaimed');
  assert.equal(ownNow.preemptionSummary, undefined);

  await run(lent);
  step();
  assert.equal((await describe(borrowed)).status, 'RUNNABLE', 'the borrower cannot take back capacity its lender uses');

  await batch.send(new TerminateServiceJobCommand({ jobId: lent, reason: 'done' }));
  await until(lent, 'FAILED');
  const again = await run(borrowed);
  assert.match(again.latestAttempt?.serviceResourceId?.value ?? '', /training-job\/xs-borrowed-2$/, 'the rerun is a new training job');
  assert.equal(again.preemptionSummary?.preemptedAttemptCount, 1);
});

test('preemptionRetriesBeforeTermination 0: the lowest-priority borrower job is the one preempted, and it FAILS on its first preemption', async () => {
  await quotaQueue('rt', 2, [
    { name: 'lender', limit: 1, strategy: 'LEND' },
    { name: 'borrower', limit: 1, strategy: 'LEND_AND_BORROW' },
  ]);
  const low = await submit('rt', 'borrower', 'low', { schedulingPriority: 0, preemptionRetriesBeforeTermination: 0 });
  await run(low);
  const high = await submit('rt', 'borrower', 'high', { schedulingPriority: 10 });
  await run(high); // started later, but of higher priority
  const lent = await submit('rt', 'lender', 'lent');
  step();
  const failed = await until(low, 'FAILED');
  assert.equal(failed.statusReason, `Preemption retries exhausted (preemptionRetriesBeforeTermination: 0): ${BORROWED}`);
  assert.equal(failed.preemptionSummary?.preemptedAttemptCount, 1);
  assert.equal(failed.preemptionSummary?.recentPreemptedAttempts?.[0]?.statusReason, BORROWED);
  assert.equal(failed.attempts?.length, 1);
  assert.equal(failed.attempts?.[0]?.statusReason, BORROWED);
  assert.equal(failed.isTerminated, false);
  assert.equal((await describe(high)).status, 'RUNNING');
  await run(lent);
});

test('in-share preemption: ENABLED lets a higher-priority job displace a lower one (and UpdateServiceJob on a RUNNING job counts); DISABLED does not', async () => {
  await quotaQueue('ins', 4, [
    { name: 'on', limit: 1, strategy: 'RESERVE', inShare: 'ENABLED' },
    { name: 'off', limit: 1, strategy: 'RESERVE', inShare: 'DISABLED' },
  ]);
  // DISABLED: the higher-priority job waits for the share's capacity.
  const offLow = await submit('ins', 'off', 'off-low', { schedulingPriority: 1 });
  await run(offLow);
  const offHigh = await submit('ins', 'off', 'off-high', { schedulingPriority: 5 });
  step();
  step();
  const offLowNow = await describe(offLow);
  assert.deepEqual([offLowNow.status, offLowNow.statusReason, offLowNow.preemptionSummary], ['RUNNING', undefined, undefined]);
  assert.equal((await describe(offHigh)).status, 'RUNNABLE');

  // ENABLED: the higher-priority job preempts the lower one, which does not preempt back.
  const low = await submit('ins', 'on', 'low', { schedulingPriority: 1 });
  await run(low);
  const high = await submit('ins', 'on', 'high', { schedulingPriority: 5 });
  step();
  await assertBeingPreempted(low, 'PREEMPTION_IN_PROGRESS: In-share preemption triggered by a higher priority job');
  const requeued = await until(low, 'RUNNABLE');
  assert.equal(requeued.statusReason, IN_SHARE);
  assert.equal(requeued.preemptionSummary?.preemptedAttemptCount, 1);
  await run(high);
  step();
  assert.equal((await describe(low)).status, 'RUNNABLE', 'a lower-priority job never preempts a higher one');

  // Equal or lower priority preempts nothing; lowering the running job's priority changes that.
  const mid = await submit('ins', 'on', 'mid', { schedulingPriority: 3 });
  step();
  assert.equal((await describe(high)).statusReason, undefined);
  await batch.send(new UpdateServiceJobCommand({ jobId: high, schedulingPriority: 2 }));
  step();
  const highRequeued = await until(high, 'RUNNABLE');
  assert.equal(highRequeued.statusReason, IN_SHARE);
  assert.equal(highRequeued.schedulingPriority, 2);
  await run(mid);
});

test('lowering a quota share’s capacity limit makes its excess preemptible: the most recently started job above the new limit is preempted for another share', async () => {
  const shares = await quotaQueue('low', 2, [
    { name: 'team', limit: 2, strategy: 'LEND' },
    { name: 'other', limit: 1, strategy: 'RESERVE' },
  ]);
  const first = await submit('low', 'team', 'first');
  await run(first);
  const second = await submit('low', 'team', 'second');
  await run(second);
  const waiting = await submit('low', 'other', 'waiting');
  step();
  assert.equal((await describe(waiting)).status, 'RUNNABLE', 'within its limit, team keeps its instances');
  assert.equal((await describe(second)).statusReason, undefined);

  await batch.send(new UpdateQuotaShareCommand({ quotaShareArn: shares.team, capacityLimits: [{ maxCapacity: 1, capacityUnit: 'ml.m5.large' }] }));
  step();
  const requeued = await until(second, 'RUNNABLE');
  assert.equal(requeued.statusReason, OVER_LIMIT);
  assert.equal(requeued.preemptionSummary?.recentPreemptedAttempts?.[0]?.statusReason, OVER_LIMIT);
  assert.equal((await describe(first)).status, 'RUNNING', 'only the excess is preempted');
  await run(waiting);
  step();
  assert.equal((await describe(second)).status, 'RUNNABLE', 'team is at its lowered limit');
});
