/**
 * Time-dependent and limit semantics, made deterministic: the scheduler is stepped by the test
 * and time comes from a manual clock (jobStateTimeLimitActions), attempt timeouts are scaled
 * down (AWS's minimum is 60 s), evaluateOnExit rules, platform checks, quotas and throttling.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { ManualClock } from '../../../src/core/clock.js';
import { startTestServer, waitFor } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { createQueue, registerCommand, waitForStatus } from '../../helpers/batch-setup.js';

describe('with a stepped scheduler and a manual clock', () => {
  let server: TestServer;
  let batch: BatchClient;
  const clock = new ManualClock(Date.now());

  before(async () => {
    server = await startTestServer({ clock, autoSchedule: false });
    batch = new BatchClient(server.clientConfig);
  });
  after(async () => {
    batch.destroy();
    await server.close();
  });

  test('jobStateTimeLimitActions: a job blocked longer than maxTimeSeconds with the action\'s reason is cancelled with AWS\'s reason', async () => {
    await batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'small', type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus: 1, subnets: ['subnet-1'] } }));
    server.app.scheduler.step();
    await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: 'limited',
        priority: 1,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'small' }],
        jobStateTimeLimitActions: [{ reason: 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE', state: 'RUNNABLE', maxTimeSeconds: 600, action: 'CANCEL' }],
      }),
    );
    server.app.scheduler.step();
    await registerCommand(batch, 'huge', ['true'], { containerProperties: { image: 'busybox', vcpus: 4, memory: 64, command: ['true'] } });
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'huge', jobQueue: 'limited', jobDefinition: 'huge' }));
    server.app.scheduler.step();
    // 4 vCPUs on an environment of maxvCpus 1: AWS's blocked-queue reason while it waits.
    assert.equal(
      (await waitForStatus(batch, jobId, ['RUNNABLE'])).statusReason,
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - CE(s) associated with the job queue cannot meet the CPU requirement of the job.',
    );
    clock.advance(599_000);
    server.app.scheduler.step();
    assert.equal((await waitForStatus(batch, jobId, ['RUNNABLE'])).status, 'RUNNABLE', 'not yet past the limit');
    clock.advance(2_000);
    server.app.scheduler.step();
    const job = await waitForStatus(batch, jobId, ['FAILED']);
    assert.equal(job.statusReason, 'Canceled by JobStateTimeLimit action due to reason: MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE');
    assert.equal(job.isCancelled, true);
  });

  test('the stepped scheduler moves nothing on its own: SUBMITTED stays SUBMITTED until a step', async () => {
    await registerCommand(batch, 'noop', ['true']);
    await batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'wide', type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'] } }));
    server.app.scheduler.step();
    await batch.send(new CreateJobQueueCommand({ jobQueueName: 'stepped', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'wide' }] }));
    server.app.scheduler.step();
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'noop', jobQueue: 'stepped', jobDefinition: 'noop' }));
    assert.equal((await waitForStatus(batch, jobId, ['SUBMITTED'])).status, 'SUBMITTED');
    server.app.scheduler.step(); // SUBMITTED -> RUNNABLE -> STARTING in one pass
    const job = await waitFor(async () => {
      const j = await waitForStatus(batch, jobId, ['STARTING', 'RUNNING', 'SUCCEEDED']);
      return j.status === 'SUCCEEDED' ? j : undefined;
    }, 'the job to finish');
    assert.equal(job.status, 'SUCCEEDED');
  });
});

describe('with scaled-down timeouts', () => {
  let server: TestServer;
  let batch: BatchClient;

  before(async () => {
    server = await startTestServer({ timeoutScale: 0.005 });
    batch = new BatchClient(server.clientConfig);
    await createQueue(batch, 'timed', 4);
  });
  after(async () => {
    batch.destroy();
    await server.close();
  });

  test('timeout: an attempt running past attemptDurationSeconds is stopped, FAILED with AWS’s reason, and not retried', async () => {
    await registerCommand(batch, 'slow', ['sleep', '30'], { timeout: { attemptDurationSeconds: 60 }, retryStrategy: { attempts: 3 } });
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'slow', jobQueue: 'timed', jobDefinition: 'slow' }));
    const job = await waitForStatus(batch, jobId, ['FAILED', 'SUCCEEDED']);
    assert.equal(job.status, 'FAILED');
    assert.equal(job.statusReason, 'Job attempt duration exceeded timeout');
    assert.equal(job.attempts?.length, 1, 'timed-out attempts are not retried');
    assert.equal(job.container?.exitCode, 143, 'stopped by SIGTERM');
  });

  test('timeout: SubmitJob can override the definition’s timeout, but not below 60 s', async () => {
    await registerCommand(batch, 'quick', ['true']);
    await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 't', jobQueue: 'timed', jobDefinition: 'quick', timeout: { attemptDurationSeconds: 30 } })), /60 seconds/);
  });

  test('evaluateOnExit: EXIT on a matching exit code stops retries; RETRY rules match exit-code globs', async () => {
    await registerCommand(batch, 'exit7', ['sh', '-c', 'exit 7'], {
      retryStrategy: { attempts: 5, evaluateOnExit: [{ onExitCode: '7', action: 'EXIT' }] },
    });
    const exited = await batch.send(new SubmitJobCommand({ jobName: 'e7', jobQueue: 'timed', jobDefinition: 'exit7' }));
    const job = await waitForStatus(batch, exited.jobId ?? '', ['FAILED', 'SUCCEEDED']);
    assert.equal(job.attempts?.length, 1);
    await registerCommand(batch, 'exit12', ['sh', '-c', 'exit 12'], {
      retryStrategy: { attempts: 3, evaluateOnExit: [{ onExitCode: '1*', action: 'RETRY' }, { onReason: '*', action: 'EXIT' }] },
    });
    const retried = await batch.send(new SubmitJobCommand({ jobName: 'e12', jobQueue: 'timed', jobDefinition: 'exit12' }));
    const again = await waitForStatus(batch, retried.jobId ?? '', ['FAILED', 'SUCCEEDED']);
    assert.deepEqual(again.attempts?.map((a) => a.container?.exitCode), [12, 12, 12]);
    await assert.rejects(
      batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'x', type: 'container', containerProperties: { image: 'b', vcpus: 1, memory: 8 }, retryStrategy: { attempts: 2, evaluateOnExit: Array.from({ length: 6 }, () => ({ onExitCode: '1', action: 'EXIT' })) } })),
      /at most 5/,
    );
  });

  test('platformCapabilities: a FARGATE job definition cannot be submitted to an EC2 queue', async () => {
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'fg',
        type: 'container',
        platformCapabilities: ['FARGATE'],
        containerProperties: { image: 'b', command: ['true'], resourceRequirements: [{ type: 'VCPU', value: '0.25' }, { type: 'MEMORY', value: '512' }] },
      }),
    );
    await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 'fg', jobQueue: 'timed', jobDefinition: 'fg' })), /FARGATE platform capabilities/);
  });

  test('quotas: at most 50 job queues per account and Region, with AWS’s limit stated', async () => {
    for (let i = 0; i < 49; i++) {
      await batch.send(new CreateJobQueueCommand({ jobQueueName: `quota-${i}`, priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'timed-ce' }] }));
    }
    await assert.rejects(
      batch.send(new CreateJobQueueCommand({ jobQueueName: 'one-too-many', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'timed-ce' }] })),
      /Maximum number of job queues \(50\)/,
    );
  });
});

describe('with SubmitJob throttling switched on', () => {
  test('SubmitJob beyond the configured rate answers 429 TooManyRequestsException', async () => {
    const clock = new ManualClock(Date.now());
    const server = await startTestServer({ clock, submitJobRateLimit: 5 });
    const batch = new BatchClient(server.clientConfig);
    try {
      await createQueue(batch, 'throttled');
      await registerCommand(batch, 'noop', ['true']);
      for (let i = 0; i < 5; i++) await batch.send(new SubmitJobCommand({ jobName: `t${i}`, jobQueue: 'throttled', jobDefinition: 'noop' }));
      await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 'over', jobQueue: 'throttled', jobDefinition: 'noop' })), (error: Error & { $metadata: { httpStatusCode: number } }) => {
        assert.equal(error.name, 'TooManyRequestsException');
        assert.equal(error.$metadata.httpStatusCode, 429);
        return true;
      });
      clock.advance(1000);
      await batch.send(new SubmitJobCommand({ jobName: 'later', jobQueue: 'throttled', jobDefinition: 'noop' }));
    } finally {
      batch.destroy();
      await server.close();
    }
  });
});
