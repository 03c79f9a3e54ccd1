/**
 * Service environments, SAGEMAKER_TRAINING job queues, service jobs and quota shares through
 * the real @aws-sdk/client-batch: shapes, validation, states, pagination, and the honest
 * FAILED status of service jobs batchlink cannot run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BatchClient,
  CreateJobQueueCommand,
  CreateQuotaShareCommand,
  CreateSchedulingPolicyCommand,
  CreateServiceEnvironmentCommand,
  DeleteQuotaShareCommand,
  DeleteServiceEnvironmentCommand,
  DescribeJobQueuesCommand,
  DescribeQuotaShareCommand,
  DescribeServiceEnvironmentsCommand,
  DescribeServiceJobCommand,
  ListQuotaSharesCommand,
  ListServiceJobsCommand,
  ListTagsForResourceCommand,
  SubmitServiceJobCommand,
  TagResourceCommand,
  TerminateServiceJobCommand,
  TerminateServiceJobsCommand,
  UpdateJobQueueCommand,
  UpdateQuotaShareCommand,
  UpdateServiceEnvironmentCommand,
  UpdateServiceJobCommand,
} from '@aws-sdk/client-batch';
import { startWithClient, waitFor } from '../../helpers/server.js';
import { rejectsWith } from '../../helpers/assertions.js';
import type { ServerWithClient, TestServer } from '../../helpers/server.js';
import { createQueue } from '../../helpers/batch-setup.js';

let kit: ServerWithClient<BatchClient>;
let server: TestServer;
let batch: BatchClient;

const ENTRYPOINT_PAYLOAD = JSON.stringify({
  TrainingJobName: 'train',
  AlgorithmSpecification: { TrainingImage: 'busybox', TrainingInputMode: 'File', ContainerEntrypoint: ['sh', '-c'], ContainerArguments: ['echo hi'] },
  ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 },
});
const PLAIN_PAYLOAD = JSON.stringify({ TrainingJobName: 'train', AlgorithmSpecification: { TrainingImage: 'img', TrainingInputMode: 'File' } });

async function serviceQueue(name: string, env: string, extra: Record<string, unknown> = {}): Promise<string> {
  await batch.send(new CreateServiceEnvironmentCommand({ serviceEnvironmentName: env, serviceEnvironmentType: 'SAGEMAKER_TRAINING', capacityLimits: [{ maxCapacity: 4, capacityUnit: 'NUM_INSTANCES' }] }));
  const out = await batch.send(
    new CreateJobQueueCommand({ jobQueueName: name, priority: 1, jobQueueType: 'SAGEMAKER_TRAINING', serviceEnvironmentOrder: [{ order: 1, serviceEnvironment: env }], ...extra }),
  );
  await waitFor(async () => {
    server.app.scheduler.step();
    return (await batch.send(new DescribeJobQueuesCommand({ jobQueues: [name] }))).jobQueues?.[0]?.status === 'VALID';
  }, `queue ${name} VALID`);
  return out.jobQueueArn!;
}

before(async () => {
  // The scheduler (and with it the service-job runner) only moves when a test steps it.
  kit = await startWithClient(BatchClient, { autoSchedule: false });
  ({ server, client: batch } = kit);
});
after(() => kit.close());

describe('service environments and SAGEMAKER_TRAINING queues', () => {
  test('CreateServiceEnvironment: VALID with its capacity limits; Update changes state and limits', async () => {
    const out = await batch.send(
      new CreateServiceEnvironmentCommand({ serviceEnvironmentName: 'se1', serviceEnvironmentType: 'SAGEMAKER_TRAINING', capacityLimits: [{ maxCapacity: 8, capacityUnit: 'NUM_INSTANCES' }], tags: { k: 'v' } }),
    );
    assert.equal(out.serviceEnvironmentArn, 'arn:aws:batch:us-east-1:000000000000:service-environment/se1');
    await batch.send(new UpdateServiceEnvironmentCommand({ serviceEnvironment: out.serviceEnvironmentArn, state: 'DISABLED', capacityLimits: [{ maxCapacity: 2, capacityUnit: 'NUM_INSTANCES' }] }));
    const d = await batch.send(new DescribeServiceEnvironmentsCommand({ serviceEnvironments: ['se1'] }));
    const env = d.serviceEnvironments?.[0];
    assert.equal(env?.status, 'VALID');
    assert.equal(env?.state, 'DISABLED');
    assert.equal(env?.serviceEnvironmentType, 'SAGEMAKER_TRAINING');
    assert.deepEqual(env?.capacityLimits, [{ maxCapacity: 2, capacityUnit: 'NUM_INSTANCES' }]);
    assert.deepEqual(env?.tags, { k: 'v' });
  });

  test('CreateServiceEnvironment: refuses an unknown type and missing capacityLimits', async () => {
    await rejectsWith(batch.send(new CreateServiceEnvironmentCommand({ serviceEnvironmentName: 'x', serviceEnvironmentType: 'EMR' as never, capacityLimits: [{ maxCapacity: 1 }] })), 'ClientException', /serviceEnvironmentType must be one of: SAGEMAKER_TRAINING/);
    await rejectsWith(batch.send(new CreateServiceEnvironmentCommand({ serviceEnvironmentName: 'x', serviceEnvironmentType: 'SAGEMAKER_TRAINING', capacityLimits: [] })), 'ClientException', /capacityLimits must contain at least one/);
  });

  test('CreateJobQueue: a SAGEMAKER_TRAINING queue keeps its serviceEnvironmentOrder; mixing with compute environments is refused', async () => {
    const arn = await serviceQueue('sq1', 'se-sq1');
    const q = (await batch.send(new DescribeJobQueuesCommand({ jobQueues: [arn] }))).jobQueues?.[0];
    assert.equal(q?.jobQueueType, 'SAGEMAKER_TRAINING');
    assert.deepEqual(q?.computeEnvironmentOrder, []);
    assert.equal(q?.serviceEnvironmentOrder?.[0]?.serviceEnvironment, 'arn:aws:batch:us-east-1:000000000000:service-environment/se-sq1');
    await rejectsWith(
      batch.send(new CreateJobQueueCommand({ jobQueueName: 'mixed', priority: 1, serviceEnvironmentOrder: [{ order: 1, serviceEnvironment: 'se-sq1' }], computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'x' }] })),
      'ClientException',
      /can't have both a serviceEnvironmentOrder and a computeEnvironmentOrder/,
    );
    await rejectsWith(
      batch.send(new CreateJobQueueCommand({ jobQueueName: 'ghost', priority: 1, jobQueueType: 'SAGEMAKER_TRAINING', serviceEnvironmentOrder: [{ order: 1, serviceEnvironment: 'nope' }] })),
      'ClientException',
      /serviceEnvironment nope does not exist/,
    );
    await rejectsWith(batch.send(new UpdateJobQueueCommand({ jobQueue: 'sq1', computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'x' }] })), 'ClientException', /not valid for job queues of type SAGEMAKER_TRAINING/);
  });

  test('DeleteServiceEnvironment: refused while a queue uses it or while ENABLED', async () => {
    await serviceQueue('sq2', 'se-sq2');
    await rejectsWith(batch.send(new DeleteServiceEnvironmentCommand({ serviceEnvironment: 'se-sq2' })), 'ClientException', /Cannot delete, found existing JobQueue relationship/);
    await batch.send(new CreateServiceEnvironmentCommand({ serviceEnvironmentName: 'se-free', serviceEnvironmentType: 'SAGEMAKER_TRAINING', capacityLimits: [{ maxCapacity: 1 }] }));
    await rejectsWith(batch.send(new DeleteServiceEnvironmentCommand({ serviceEnvironment: 'se-free' })), 'ClientException', /must be DISABLED first/);
    await batch.send(new UpdateServiceEnvironmentCommand({ serviceEnvironment: 'se-free', state: 'DISABLED' }));
    await batch.send(new DeleteServiceEnvironmentCommand({ serviceEnvironment: 'se-free' }));
    assert.deepEqual((await batch.send(new DescribeServiceEnvironmentsCommand({ serviceEnvironments: ['se-free'] }))).serviceEnvironments, []);
  });
});

describe('service jobs', () => {
  test('SubmitServiceJob: a payload without ContainerEntrypoint is FAILED with a statusReason that says why, never a silent success', async () => {
    await serviceQueue('sj1', 'se-sj1');
    const out = await batch.send(new SubmitServiceJobCommand({ jobName: 'train-1', jobQueue: 'sj1', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: PLAIN_PAYLOAD, tags: { p: 'q' } }));
    assert.match(out.jobArn ?? '', /:service-job\//);
    const d = await batch.send(new DescribeServiceJobCommand({ jobId: out.jobId }));
    assert.equal(d.status, 'FAILED');
    assert.match(d.statusReason ?? '', /^batchlink runs service jobs only when .*ContainerEntrypoint/);
    assert.equal(d.serviceRequestPayload, PLAIN_PAYLOAD);
    assert.equal(d.serviceJobType, 'SAGEMAKER_TRAINING');
    assert.ok(d.jobQueue?.endsWith('job-queue/sj1'));
    assert.deepEqual(d.tags, { p: 'q' });
    const tags = await batch.send(new ListTagsForResourceCommand({ resourceArn: out.jobArn }));
    assert.deepEqual(tags.tags, { p: 'q' });
  });

  test('SubmitServiceJob: with a ContainerEntrypoint but no runner attached, FAILED with the runner reason; capacityUsage from ResourceConfig', async () => {
    server.app.batch.serviceJobs.runs.runnerAttached = false;
    try {
      const out = await batch.send(new SubmitServiceJobCommand({ jobName: 'train-2', jobQueue: 'sj1', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: ENTRYPOINT_PAYLOAD }));
      const d = await batch.send(new DescribeServiceJobCommand({ jobId: out.jobId }));
      assert.equal(d.status, 'FAILED');
      assert.match(d.statusReason ?? '', /service-job runner attached/);
      assert.deepEqual(d.capacityUsage, [{ capacityUnit: 'ml.m5.large', quantity: 2 }]);
      const failed = await batch.send(new ListServiceJobsCommand({ jobQueue: 'sj1', jobStatus: 'FAILED' }));
      assert.ok(failed.jobSummaryList?.some((j) => j.jobId === out.jobId));
      const running = await batch.send(new ListServiceJobsCommand({ jobQueue: 'sj1' }));
      assert.deepEqual(running.jobSummaryList, []);
    } finally {
      server.app.batch.serviceJobs.runs.runnerAttached = true;
    }
  });

  test('SubmitServiceJob: refuses a compute job queue, a payload that is not JSON, and an unknown queue', async () => {
    await createQueue(batch, 'compute-q', 4, () => server.app.scheduler.step());
    await rejectsWith(batch.send(new SubmitServiceJobCommand({ jobName: 'x', jobQueue: 'compute-q', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: PLAIN_PAYLOAD })), 'ClientException', /need a SAGEMAKER_TRAINING job queue/);
    await rejectsWith(batch.send(new SubmitServiceJobCommand({ jobName: 'x', jobQueue: 'sj1', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: '{nope' })), 'ClientException', /serviceRequestPayload must be a JSON object/);
    await rejectsWith(batch.send(new SubmitServiceJobCommand({ jobName: 'x', jobQueue: 'no-such', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: PLAIN_PAYLOAD })), 'ClientException', /Job Queue no-such does not exist/);
    await rejectsWith(batch.send(new SubmitServiceJobCommand({ jobName: 'x', jobQueue: 'sj1', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: PLAIN_PAYLOAD, schedulingPriority: 10000 })), 'ClientException', /schedulingPriority/);
  });

  test('with a runner attached: jobs wait SUBMITTED; UpdateServiceJob, TerminateServiceJob and TerminateServiceJobs act on them', async () => {
    server.app.batch.serviceJobs.runs.runnerAttached = true;
    try {
      const submit = (jobName: string) => batch.send(new SubmitServiceJobCommand({ jobName, jobQueue: 'sj1', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: ENTRYPOINT_PAYLOAD, clientToken: jobName }));
      const a = await submit('wait-a');
      const b = await submit('wait-b');
      await rejectsWith(submit('wait-a'), 'ClientException', /clientToken wait-a/);
      const upd = await batch.send(new UpdateServiceJobCommand({ jobId: a.jobId, schedulingPriority: 42 }));
      assert.equal(upd.jobArn, a.jobArn);
      assert.equal((await batch.send(new DescribeServiceJobCommand({ jobId: a.jobId }))).schedulingPriority, 42);
      const submitted = await batch.send(new ListServiceJobsCommand({ jobQueue: 'sj1', jobStatus: 'SUBMITTED', maxResults: 1 }));
      assert.equal(submitted.jobSummaryList?.length, 1);
      assert.ok(submitted.nextToken);
      await batch.send(new TerminateServiceJobCommand({ jobId: a.jobId, reason: 'no longer needed' }));
      const d = await batch.send(new DescribeServiceJobCommand({ jobId: a.jobId }));
      assert.deepEqual([d.status, d.statusReason, d.isTerminated], ['FAILED', 'no longer needed', true]);
      await rejectsWith(batch.send(new UpdateServiceJobCommand({ jobId: a.jobId, schedulingPriority: 1 })), 'ClientException', /is FAILED/);
      const bulk = await batch.send(new TerminateServiceJobsCommand({ jobs: [b.jobId!, 'not-a-job'], reason: 'cleanup' }));
      assert.deepEqual(bulk.successful, [b.jobId]);
      assert.equal(bulk.errors?.length, 1);
      assert.equal(bulk.errors?.[0]?.job, 'not-a-job');
      assert.equal(bulk.errors?.[0]?.code, 'ClientException');
      assert.match(bulk.errors?.[0]?.message ?? '', /not-a-job not found/);
      assert.equal((await batch.send(new DescribeServiceJobCommand({ jobId: b.jobId }))).status, 'FAILED');
    } finally {
      server.app.batch.serviceJobs.runs.runnerAttached = false;
    }
  });

  test('ListServiceJobs: the JOB_NAME filter ignores jobStatus and matches case-insensitively with a trailing *', async () => {
    const out = await batch.send(new ListServiceJobsCommand({ jobQueue: 'sj1', filters: [{ name: 'JOB_NAME', values: ['TRAIN-*'] }] }));
    assert.deepEqual(out.jobSummaryList?.map((j) => j.jobName).sort(), ['train-1', 'train-2']);
  });

  test('SubmitServiceJob: a fair-share queue needs a shareIdentifier', async () => {
    const { arn } = await batch.send(new CreateSchedulingPolicyCommand({ name: 'svc-fair' }));
    await serviceQueue('sj-fair', 'se-fair', { schedulingPolicyArn: arn });
    await rejectsWith(batch.send(new SubmitServiceJobCommand({ jobName: 'x', jobQueue: 'sj-fair', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: PLAIN_PAYLOAD })), 'ClientException', /Share identifier is required/);
    const ok = await batch.send(new SubmitServiceJobCommand({ jobName: 'x', jobQueue: 'sj-fair', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: PLAIN_PAYLOAD, shareIdentifier: 'teamA' }));
    assert.equal((await batch.send(new DescribeServiceJobCommand({ jobId: ok.jobId }))).shareIdentifier, 'teamA');
  });
});

describe('quota shares', () => {
  test('CreateQuotaShare: needs a queue with a quota-share policy; ARN is job-queue/<queue>/quota-share/<name>; Describe/List/Update/Tag/Delete', async () => {
    await serviceQueue('plain-sq', 'se-plain');
    const base = { capacityLimits: [{ maxCapacity: 2, capacityUnit: 'ml.m5.large' }], resourceSharingConfiguration: { strategy: 'RESERVE' as const }, preemptionConfiguration: { inSharePreemption: 'DISABLED' as const } };
    await rejectsWith(batch.send(new CreateQuotaShareCommand({ quotaShareName: 'qs', jobQueue: 'plain-sq', ...base })), 'ClientException', /does not have a quota share scheduling policy/);
    const { arn: policy } = await batch.send(new CreateSchedulingPolicyCommand({ name: 'quota', quotaSharePolicy: { idleResourceAssignmentStrategy: 'FIFO' } }));
    await serviceQueue('quota-sq', 'se-quota', { schedulingPolicyArn: policy });
    await rejectsWith(
      batch.send(new CreateQuotaShareCommand({ quotaShareName: 'qs', jobQueue: 'quota-sq', ...base, resourceSharingConfiguration: { strategy: 'LEND', borrowLimit: 50 } })),
      'ClientException',
      /borrowLimit can only be set with the LEND_AND_BORROW strategy/,
    );
    const out = await batch.send(new CreateQuotaShareCommand({ quotaShareName: 'qs', jobQueue: 'quota-sq', ...base, tags: { t: '1' } }));
    assert.equal(out.quotaShareArn, 'arn:aws:batch:us-east-1:000000000000:job-queue/quota-sq/quota-share/qs');
    const d = await batch.send(new DescribeQuotaShareCommand({ quotaShareArn: out.quotaShareArn }));
    assert.deepEqual([d.state, d.status, d.jobQueueArn], ['ENABLED', 'VALID', 'arn:aws:batch:us-east-1:000000000000:job-queue/quota-sq']);
    assert.deepEqual(d.tags, { t: '1' });
    await batch.send(new TagResourceCommand({ resourceArn: out.quotaShareArn, tags: { u: '2' } }));
    assert.deepEqual((await batch.send(new ListTagsForResourceCommand({ resourceArn: out.quotaShareArn }))).tags, { t: '1', u: '2' });
    await batch.send(new UpdateQuotaShareCommand({ quotaShareArn: out.quotaShareArn, resourceSharingConfiguration: { strategy: 'LEND_AND_BORROW' } }));
    const listed = await batch.send(new ListQuotaSharesCommand({ jobQueue: 'quota-sq' }));
    assert.deepEqual(listed.quotaShares?.map((s) => [s.quotaShareName, s.resourceSharingConfiguration?.strategy, s.resourceSharingConfiguration?.borrowLimit]), [['qs', 'LEND_AND_BORROW', -1]]);

    await rejectsWith(batch.send(new SubmitServiceJobCommand({ jobName: 'x', jobQueue: 'quota-sq', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: PLAIN_PAYLOAD })), 'ClientException', /quotaShareName is required/);
    await rejectsWith(batch.send(new SubmitServiceJobCommand({ jobName: 'x', jobQueue: 'quota-sq', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: PLAIN_PAYLOAD, quotaShareName: 'nope' })), 'ClientException', /Quota share nope does not exist/);
    const job = await batch.send(new SubmitServiceJobCommand({ jobName: 'x', jobQueue: 'quota-sq', serviceJobType: 'SAGEMAKER_TRAINING', serviceRequestPayload: PLAIN_PAYLOAD, quotaShareName: 'qs' }));
    assert.equal((await batch.send(new DescribeServiceJobCommand({ jobId: job.jobId }))).quotaShareName, 'qs');

    await rejectsWith(batch.send(new DeleteQuotaShareCommand({ quotaShareArn: out.quotaShareArn })), 'ClientException', /must be DISABLED first/);
    await batch.send(new UpdateQuotaShareCommand({ quotaShareArn: out.quotaShareArn, state: 'DISABLED' }));
    await batch.send(new DeleteQuotaShareCommand({ quotaShareArn: out.quotaShareArn }));
    await rejectsWith(batch.send(new DescribeQuotaShareCommand({ quotaShareArn: out.quotaShareArn })), 'ClientException', /does not exist/);
  });
});
