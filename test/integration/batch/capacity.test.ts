/**
 * Memory as capacity, with a stepped scheduler and a manual clock: a managed EC2 environment
 * gives out at most maxvCpus x the largest MiB-per-vCPU of its instance types, a job must fit
 * one allowed instance type (less the 32 MiB the ECS agent keeps), a job that never can waits
 * RUNNABLE with AWS's MISCONFIGURATION reason until a matching jobStateTimeLimitActions cancels
 * it, and Fargate job definitions must use one of Fargate's vCPU/memory combinations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
  UpdateComputeEnvironmentCommand,
} from '@aws-sdk/client-batch';
import type { JobDetail, JobStateTimeLimitAction } from '@aws-sdk/client-batch';
import { ManualClock } from '../../../src/core/clock.js';
import { startTestServer, waitFor } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { waitForStatus } from '../../helpers/batch-setup.js';
import { rejectsWith } from '../../helpers/assertions.js';

const JOB_RESOURCE_REQUIREMENT =
  'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.';
const STARTED = ['STARTING', 'RUNNING'];

describe('memory as a capacity limit', () => {
  let server: TestServer;
  let batch: BatchClient;
  const clock = new ManualClock(Date.now());
  const step = () => server.app.scheduler.step();
  /** Back to the real time: requests are signed with it, and SigV4 allows 15 minutes of skew. */
  const resync = () => clock.set(Date.now());
  const running: string[] = [];

  before(async () => {
    server = await startTestServer({ clock, autoSchedule: false });
    batch = new BatchClient(server.clientConfig);
  });
  after(async () => {
    resync();
    for (const jobId of running) await batch.send(new TerminateJobCommand({ jobId, reason: 'test over' }));
    for (const jobId of running) await waitForStatus(batch, jobId, ['FAILED', 'SUCCEEDED']);
    batch.destroy();
    await server.close();
  });

  /** A VALID managed EC2 environment and a queue on it. */
  async function queueOn(name: string, maxvCpus: number, instanceTypes: string[], jobStateTimeLimitActions?: JobStateTimeLimitAction[]): Promise<void> {
    await batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: `${name}-ce`, type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus, instanceTypes, subnets: ['subnet-1'] } }));
    await waitFor(async () => {
      step();
      const out = await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [`${name}-ce`] }));
      return out.computeEnvironments?.[0]?.status === 'VALID';
    }, 'compute environment VALID');
    await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: name,
        priority: 1,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: `${name}-ce` }],
        ...(jobStateTimeLimitActions ? { jobStateTimeLimitActions } : {}),
      }),
    );
    step();
  }

  /** Registers a job definition that sleeps with the given resources; returns its name. */
  async function sleeper(name: string, vcpus: number, memory: number, extra: Array<{ type: 'GPU'; value: string }> = []): Promise<string> {
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: name,
        type: 'container',
        containerProperties: {
          image: 'busybox',
          command: ['sleep', '30'],
          resourceRequirements: [{ type: 'VCPU', value: String(vcpus) }, { type: 'MEMORY', value: String(memory) }, ...extra],
        },
      }),
    );
    return name;
  }

  async function submit(queue: string, definition: string): Promise<string> {
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: definition, jobQueue: queue, jobDefinition: definition }));
    return jobId;
  }

  async function detail(jobId: string): Promise<JobDetail> {
    const job = (await batch.send(new DescribeJobsCommand({ jobs: [jobId] }))).jobs?.[0];
    assert.ok(job, `job ${jobId} exists`);
    return job;
  }

  test('a FIFO queue reads on past a page of jobs that cannot start: the job behind 150 of them starts in the same pass', async () => {
    await queueOn('deep', 4, ['m5.large']);
    const tooBig = await sleeper('sixteen-gib', 1, 16384); // more than an m5.large has
    const fits = await sleeper('one-gib', 1, 1024);
    const blocked: string[] = [];
    for (let i = 0; i < 150; i++) blocked.push(await submit('deep', tooBig));
    const behind = await submit('deep', fits);
    step();
    assert.ok(STARTED.includes((await detail(behind)).status ?? ''), 'the 151st job starts though the first 150 never can');
    running.push(behind);
    assert.equal((await detail(blocked[149] as string)).statusReason, JOB_RESOURCE_REQUIREMENT);
    for (const jobId of blocked) await batch.send(new TerminateJobCommand({ jobId, reason: 'test over' }));
  });

  test('m5.large only, maxvCpus 4: two 6 GiB jobs run, a third waits for memory while a 2 GiB job still starts, and runs when memory frees', async () => {
    // m5.large: 2 vCPUs, 8192 MiB, 32 MiB kept by the ECS agent -> 4080 MiB per vCPU; 4 vCPUs -> 16320 MiB.
    await queueOn('mem', 4, ['m5.large']);
    const big = await sleeper('six-gib', 1, 6144);
    const small = await sleeper('two-gib', 1, 2048);
    const first = await submit('mem', big);
    const second = await submit('mem', big);
    const third = await submit('mem', big);
    const fourth = await submit('mem', small);
    step();
    for (const jobId of [first, second, fourth]) assert.ok(STARTED.includes((await detail(jobId)).status ?? ''), `${jobId} started`);
    running.push(second, fourth);
    const waiting = await detail(third);
    assert.equal(waiting.status, 'RUNNABLE', '3 x 6144 MiB = 18432 MiB > 16320 MiB, though 3 vCPUs of 4 are free');
    assert.equal(waiting.statusReason, undefined, 'waiting for capacity is not a misconfiguration');

    await batch.send(new TerminateJobCommand({ jobId: first, reason: 'free its memory' }));
    await waitForStatus(batch, first, ['FAILED']);
    step();
    assert.ok(STARTED.includes((await detail(third)).status ?? ''), 'the third 6 GiB job starts once 6 GiB are free');
    running.push(third);
  });

  test('a job needing an instance type its environment cannot launch stays RUNNABLE with AWS reason; a matching time-limit action cancels it', async () => {
    resync();
    const limit: JobStateTimeLimitAction = { reason: 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT', state: 'RUNNABLE', maxTimeSeconds: 600, action: 'CANCEL' };
    // maxvCpus 2 on m5.large: 8160 MiB per job at most (8192 MiB less the ECS agent's 32 MiB).
    await queueOn('tight', 2, ['m5.large'], [limit]);
    const fits = await submit('tight', await sleeper('fits', 2, 8160));
    const tooBig = await submit('tight', await sleeper('full-nominal', 1, 8192));
    const gpu = await submit('tight', await sleeper('gpu', 1, 1024, [{ type: 'GPU', value: '1' }]));
    step();
    assert.ok(STARTED.includes((await detail(fits)).status ?? ''), '8160 MiB fits an m5.large');
    running.push(fits);
    for (const jobId of [tooBig, gpu]) {
      const job = await detail(jobId);
      assert.equal(job.status, 'RUNNABLE');
      assert.equal(job.statusReason, JOB_RESOURCE_REQUIREMENT);
    }

    clock.advance(599_000);
    step();
    assert.equal((await detail(tooBig)).status, 'RUNNABLE', 'not yet 600 s with that reason');
    clock.advance(2_000);
    step();
    for (const jobId of [tooBig, gpu]) {
      const job = await detail(jobId);
      assert.equal(job.status, 'FAILED');
      assert.equal(job.statusReason, 'Canceled by JobStateTimeLimit action due to reason: MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT');
      assert.equal(job.isCancelled, true);
    }
  });

  test('a time-limit action leaves jobs that only wait for capacity alone', async () => {
    resync();
    const limit: JobStateTimeLimitAction = { reason: 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT', state: 'RUNNABLE', maxTimeSeconds: 600, action: 'CANCEL' };
    await queueOn('busy', 2, ['m5.large'], [limit]);
    const definition = await sleeper('whole-ce', 2, 1024);
    const holder = await submit('busy', definition);
    const waiter = await submit('busy', definition);
    step();
    running.push(holder, waiter);
    clock.advance(700_000);
    step();
    const job = await detail(waiter);
    assert.equal(job.status, 'RUNNABLE', 'RUNNABLE past maxTimeSeconds, but for want of capacity, not with the action reason');
    assert.equal(job.statusReason, undefined);
  });

  test('a blocked job loses its reason and starts once UpdateComputeEnvironment allows a larger instance type; "g4dn" means every g4dn size', async () => {
    resync();
    await queueOn('grow', 8, ['m5.large']);
    const large = await submit('grow', await sleeper('twelve-gib', 2, 12288));
    step();
    assert.equal((await detail(large)).statusReason, JOB_RESOURCE_REQUIREMENT);
    await batch.send(new UpdateComputeEnvironmentCommand({ computeEnvironment: 'grow-ce', computeResources: { instanceTypes: ['g4dn'] } }));
    step(); // UPDATING -> VALID
    step();
    const job = await detail(large);
    assert.ok(STARTED.includes(job.status ?? ''), 'g4dn.xlarge has 16 GiB');
    assert.equal(job.statusReason, undefined);
    running.push(large);
    const gpu = await submit('grow', await sleeper('one-gpu', 1, 1024, [{ type: 'GPU', value: '1' }]));
    step();
    assert.ok(STARTED.includes((await detail(gpu)).status ?? ''), 'g4dn sizes have a GPU');
    running.push(gpu);
  });

  test('RegisterJobDefinition: a Fargate job definition must use one of Fargate\'s vCPU/memory combinations', async () => {
    resync();
    const fargate = (vcpu: string, memory: string) =>
      new RegisterJobDefinitionCommand({
        jobDefinitionName: `fg-${vcpu}-${memory}`.replace('.', '_'),
        type: 'container',
        platformCapabilities: ['FARGATE'],
        containerProperties: { image: 'busybox', command: ['true'], resourceRequirements: [{ type: 'VCPU', value: vcpu }, { type: 'MEMORY', value: memory }] },
      });
    await rejectsWith(batch.send(fargate('1', '512')), 'ClientException', /with VCPU 1, MEMORY must be one of 2048, 3072, 4096, 5120, 6144, 7168, 8192/);
    await rejectsWith(batch.send(fargate('0.25', '1536')), 'ClientException', /MEMORY must be one of 512, 1024, 2048\./);
    await rejectsWith(batch.send(fargate('8', '18432')), 'ClientException', /Fargate does not run 8 vCPU with 18432 MiB/);
    for (const [vcpu, memory] of [['0.25', '1024'], ['1', '2048'], ['8', '20480'], ['16', '122880']] as const) {
      const out = await batch.send(fargate(vcpu, memory));
      assert.match(out.jobDefinitionArn ?? '', /:job-definition\/fg-/);
    }
  });
});
