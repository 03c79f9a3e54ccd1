/**
 * The service-job runner: service jobs whose payload names a ContainerEntrypoint run on a local
 * executor within their service environment's instance limit, report SUCCEEDED/FAILED with a
 * TrainingJobArn attempt, and stop on TerminateServiceJob. This is the server's own runner,
 * attached by the composition root to the local executor.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchClient,
  CreateJobQueueCommand,
  CreateQuotaShareCommand,
  CreateSchedulingPolicyCommand,
  CreateServiceEnvironmentCommand,
  DeleteJobQueueCommand,
  DescribeJobQueuesCommand,
  DescribeQuotaShareCommand,
  DescribeServiceJobCommand,
  GetJobQueueSnapshotCommand,
  SubmitServiceJobCommand,
  TerminateServiceJobCommand,
  UpdateJobQueueCommand,
  UpdateQuotaShareCommand,
} from '@aws-sdk/client-batch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, waitFor } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

let server: TestServer;
let batch: BatchClient;
let logs: CloudWatchLogsClient;

function payload(script: string, instances = 1): string {
  return JSON.stringify({
    TrainingJobName: `tj-${Math.random().toString(36).slice(2, 8)}`,
    AlgorithmSpecification: { TrainingImage: 'busybox', TrainingInputMode: 'File', ContainerEntrypoint: ['sh', '-c'], ContainerArguments: [script] },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: instances, VolumeSizeInGB: 1 },
  });
}

async function submit(jobName: string, script: string, instances = 1): Promise<string> {
  const out = await batch.send(new SubmitServiceJobCommand({ jobName, jobQueue: 'train', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: payload(script, instances) }));
  return out.jobId!;
}

async function until(jobId: string, statuses: string[]) {
  return waitFor(async () => {
    const d = await batch.send(new DescribeServiceJobCommand({ jobId }));
    return statuses.includes(d.status ?? '') ? d : undefined;
  }, `service job ${jobId} ${statuses.join('/')}`);
}

before(async () => {
  server = await startTestServer();
  batch = new BatchClient(server.clientConfig);
  logs = new CloudWatchLogsClient(server.clientConfig);
  await batch.send(new CreateServiceEnvironmentCommand({ serviceEnvironmentName: 'train-env', serviceEnvironmentType: 'SAGEMAKER_TRAINING', capacityLimits: [{ maxCapacity: 2, capacityUnit: 'NUM_INSTANCES' }] }));
  await batch.send(new CreateJobQueueCommand({ jobQueueName: 'train', priority: 1, jobQueueType: 'SAGEMAKER_TRAINING', serviceEnvironmentOrder: [{ order: 1, serviceEnvironment: 'train-env' }] }));
  await waitFor(async () => (await batch.send(new DescribeJobQueuesCommand({ jobQueues: ['train'] }))).jobQueues?.[0]?.status === 'VALID', 'queue VALID');
});
after(async () => {
  logs.destroy();
  batch.destroy();
  await server.close();
});

test('a service job with a ContainerEntrypoint runs: SUCCEEDED, one attempt with its TrainingJobArn, output in /aws/sagemaker/TrainingJobs', async () => {
  const jobId = await submit('ok', 'echo trained-$TRAINING_JOB_NAME');
  const d = await until(jobId, ['SUCCEEDED', 'FAILED']);
  assert.equal(d.status, 'SUCCEEDED');
  assert.equal(d.attempts?.length, 1);
  assert.match(d.attempts?.[0]?.serviceResourceId?.value ?? '', /^arn:aws:sagemaker:us-east-1:000000000000:training-job\/tj-/);
  assert.equal(d.latestAttempt?.serviceResourceId?.name, 'TrainingJobArn');
  assert.equal(typeof d.startedAt, 'number');
  assert.equal(typeof d.stoppedAt, 'number');
  const events = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs' }));
  assert.ok(events.events?.some((e) => /^trained-tj-/.test(e.message ?? '')), JSON.stringify(events.events));
});

test('a failing container makes the service job FAILED with its exit code in the statusReason', async () => {
  const d = await until(await submit('bad', 'exit 3'), ['SUCCEEDED', 'FAILED']);
  assert.equal(d.status, 'FAILED');
  assert.match(d.statusReason ?? '', /exited with code 3/);
});

test('jobs wait RUNNABLE beyond the service environment instance limit; TerminateServiceJob stops a running one', async () => {
  const first = await submit('big-1', 'sleep 30', 2);
  const second = await submit('big-2', 'sleep 30', 2);
  await until(first, ['RUNNING']);
  server.app.scheduler.step();
  assert.equal((await batch.send(new DescribeServiceJobCommand({ jobId: second }))).status, 'RUNNABLE');
  const snap = await batch.send(new GetJobQueueSnapshotCommand({ jobQueue: 'train' }));
  assert.deepEqual(snap.queueUtilization?.totalCapacityUsage, [{ capacityUnit: 'ml.m5.large', quantity: 2 }]);
  assert.equal(snap.frontOfQueue?.jobs?.length, 1);
  await batch.send(new TerminateServiceJobCommand({ jobId: first, reason: 'stop it' }));
  const stopped = await until(first, ['FAILED', 'SUCCEEDED']);
  assert.deepEqual([stopped.status, stopped.statusReason, stopped.isTerminated], ['FAILED', 'stop it', true]);
  await until(second, ['RUNNING']);
  await batch.send(new TerminateServiceJobCommand({ jobId: second, reason: 'cleanup' }));
  await until(second, ['FAILED']);
});

test('quota shares: a RESERVE share runs within its own limit; LEND_AND_BORROW borrows a lending share’s idle capacity', async () => {
  const { arn: policy } = await batch.send(new CreateSchedulingPolicyCommand({ name: 'quota-run', quotaSharePolicy: { idleResourceAssignmentStrategy: 'FIFO' } }));
  await batch.send(new CreateServiceEnvironmentCommand({ serviceEnvironmentName: 'quota-env', serviceEnvironmentType: 'SAGEMAKER_TRAINING', capacityLimits: [{ maxCapacity: 4, capacityUnit: 'NUM_INSTANCES' }] }));
  await batch.send(
    new CreateJobQueueCommand({ jobQueueName: 'quota-train', priority: 1, jobQueueType: 'SAGEMAKER_TRAINING', schedulingPolicyArn: policy, serviceEnvironmentOrder: [{ order: 1, serviceEnvironment: 'quota-env' }] }),
  );
  await waitFor(async () => (await batch.send(new DescribeJobQueuesCommand({ jobQueues: ['quota-train'] }))).jobQueues?.[0]?.status === 'VALID', 'queue VALID');
  const share = (name: string, strategy: 'RESERVE' | 'LEND' | 'LEND_AND_BORROW') =>
    batch.send(
      new CreateQuotaShareCommand({
        quotaShareName: name,
        jobQueue: 'quota-train',
        capacityLimits: [{ maxCapacity: 1, capacityUnit: 'ml.m5.large' }],
        resourceSharingConfiguration: { strategy },
        preemptionConfiguration: { inSharePreemption: 'DISABLED' },
      }),
    );
  const reserved = await share('reserved', 'RESERVE');
  await share('lender', 'LEND');
  const submitTo = async (quotaShareName: string, name: string) =>
    (await batch.send(new SubmitServiceJobCommand({ jobName: name, jobQueue: 'quota-train', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: payload('sleep 30'), quotaShareName }))).jobId!;
  const first = await submitTo('reserved', 'r1');
  const second = await submitTo('reserved', 'r2');
  await until(first, ['RUNNING']);
  server.app.scheduler.step();
  assert.equal((await batch.send(new DescribeServiceJobCommand({ jobId: second }))).status, 'RUNNABLE', 'RESERVE: no more than its own limit');
  await batch.send(new UpdateQuotaShareCommand({ quotaShareArn: reserved.quotaShareArn, resourceSharingConfiguration: { strategy: 'LEND_AND_BORROW', borrowLimit: 100 } }));
  server.app.scheduler.step();
  await until(second, ['RUNNING']); // borrowed the lender's idle instance
  const third = await submitTo('reserved', 'r3');
  server.app.scheduler.step();
  assert.equal((await batch.send(new DescribeServiceJobCommand({ jobId: third }))).status, 'RUNNABLE', 'borrowLimit 100 % of 1 instance is reached');
  for (const id of [first, second, third]) await batch.send(new TerminateServiceJobCommand({ jobId: id, reason: 'done' }));
  for (const id of [first, second, third]) await until(id, ['FAILED']);
});

test('deleting a service job queue ends its service jobs and removes its quota shares', async () => {
  const { arn: policy } = await batch.send(new CreateSchedulingPolicyCommand({ name: 'quota-del', quotaSharePolicy: { idleResourceAssignmentStrategy: 'FIFO' } }));
  await batch.send(new CreateServiceEnvironmentCommand({ serviceEnvironmentName: 'del-env', serviceEnvironmentType: 'SAGEMAKER_TRAINING', capacityLimits: [{ maxCapacity: 1, capacityUnit: 'NUM_INSTANCES' }] }));
  await batch.send(new CreateJobQueueCommand({ jobQueueName: 'del-train', priority: 1, jobQueueType: 'SAGEMAKER_TRAINING', schedulingPolicyArn: policy, serviceEnvironmentOrder: [{ order: 1, serviceEnvironment: 'del-env' }] }));
  await waitFor(async () => (await batch.send(new DescribeJobQueuesCommand({ jobQueues: ['del-train'] }))).jobQueues?.[0]?.status === 'VALID', 'queue VALID');
  const share = await batch.send(
    new CreateQuotaShareCommand({ quotaShareName: 'only', jobQueue: 'del-train', capacityLimits: [{ maxCapacity: 1, capacityUnit: 'ml.m5.large' }], resourceSharingConfiguration: { strategy: 'RESERVE' }, preemptionConfiguration: { inSharePreemption: 'DISABLED' } }),
  );
  const running = (await batch.send(new SubmitServiceJobCommand({ jobName: 'd1', jobQueue: 'del-train', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: payload('sleep 30'), quotaShareName: 'only' }))).jobId!;
  const waiting = (await batch.send(new SubmitServiceJobCommand({ jobName: 'd2', jobQueue: 'del-train', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: payload('sleep 30'), quotaShareName: 'only' }))).jobId!;
  await until(running, ['RUNNING']);
  await batch.send(new UpdateJobQueueCommand({ jobQueue: 'del-train', state: 'DISABLED' }));
  await batch.send(new DeleteJobQueueCommand({ jobQueue: 'del-train' }));
  for (const id of [running, waiting]) {
    const job = await until(id, ['FAILED']);
    assert.equal(job.statusReason, 'Job queue deleted');
  }
  await assert.rejects(batch.send(new DescribeQuotaShareCommand({ quotaShareArn: share.quotaShareArn })), /does not exist|not found/i);
});
