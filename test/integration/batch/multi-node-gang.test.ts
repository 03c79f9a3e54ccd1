/**
 * Multi-node parallel jobs are placed as one gang, with a stepped scheduler: no node starts
 * until the environment can take every node; meanwhile smaller jobs may use the capacity; the
 * main node starts first and the child nodes once it is RUNNING, their capacity held between.
 * A gang no environment could ever take waits with AWS's MISCONFIGURATION reason.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
} from '@aws-sdk/client-batch';
import type { CRType, JobDetail } from '@aws-sdk/client-batch';
import { startTestServer, waitFor } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { waitForStatus } from '../../helpers/batch-setup.js';

let server: TestServer;
let batch: BatchClient;
const step = () => server.app.scheduler.step();
const STARTED = ['STARTING', 'RUNNING'];

before(async () => {
  server = await startTestServer({ autoSchedule: false });
  batch = new BatchClient(server.clientConfig);
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'gang',
      type: 'multinode',
      nodeProperties: { numNodes: 3, mainNode: 0, nodeRangeProperties: [{ targetNodes: '0:', container: { image: 'busybox', vcpus: 1, memory: 512, command: ['sleep', '30'] } }] },
    }),
  );
  for (const [name, vcpus] of [['one-vcpu', 1], ['two-vcpus', 2]] as const) {
    await batch.send(
      new RegisterJobDefinitionCommand({ jobDefinitionName: name, type: 'container', containerProperties: { image: 'busybox', vcpus, memory: 512, command: ['sleep', '30'] } }),
    );
  }
});
after(async () => {
  batch.destroy();
  await server.close();
});

async function queueOn(name: string, maxvCpus: number, type: CRType = 'EC2'): Promise<void> {
  await batch.send(
    new CreateComputeEnvironmentCommand({ computeEnvironmentName: `${name}-ce`, type: 'MANAGED', computeResources: { type, maxvCpus, instanceTypes: ['m5.large'], subnets: ['subnet-1'] } }),
  );
  await waitFor(async () => {
    step();
    const out = await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [`${name}-ce`] }));
    return out.computeEnvironments?.[0]?.status === 'VALID';
  }, 'compute environment VALID');
  await batch.send(new CreateJobQueueCommand({ jobQueueName: name, priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: `${name}-ce` }] }));
  step();
}

async function submit(queue: string, definition: string): Promise<string> {
  const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: definition, jobQueue: queue, jobDefinition: definition }));
  return jobId;
}

async function statuses(jobIds: string[]): Promise<string[]> {
  const jobs = (await batch.send(new DescribeJobsCommand({ jobs: jobIds }))).jobs ?? [];
  return jobIds.map((id) => jobs.find((j) => j.jobId === id)?.status ?? 'missing');
}

async function detail(jobId: string): Promise<JobDetail> {
  const job = (await batch.send(new DescribeJobsCommand({ jobs: [jobId] }))).jobs?.[0];
  assert.ok(job, `job ${jobId} exists`);
  return job;
}

async function stop(jobId: string): Promise<void> {
  await batch.send(new TerminateJobCommand({ jobId, reason: 'make room' }));
  await waitForStatus(batch, jobId, ['FAILED']);
}

test('a 3-node job with room for 2 starts no node, a later small job uses the room, and all 3 start (main node first) when capacity frees', async () => {
  await queueOn('gang', 4);
  const hog = await submit('gang', 'two-vcpus');
  step();
  assert.ok(STARTED.includes((await statuses([hog]))[0] ?? ''));

  const gang = await submit('gang', 'gang');
  const nodes = [0, 1, 2].map((i) => `${gang}#${i}`);
  step();
  assert.deepEqual(await statuses(nodes), ['RUNNABLE', 'RUNNABLE', 'RUNNABLE'], '3 vCPUs needed, 2 free: no node starts');
  for (const node of nodes) assert.equal((await detail(node)).statusReason, undefined, 'the gang waits for capacity, it is not misconfigured');

  const small = await submit('gang', 'one-vcpu');
  step();
  assert.ok(STARTED.includes((await statuses([small]))[0] ?? ''), 'a later 1-vCPU job starts in the room the gang cannot use');
  assert.deepEqual(await statuses(nodes), ['RUNNABLE', 'RUNNABLE', 'RUNNABLE']);

  await stop(hog);
  await stop(small);
  const late = await submit('gang', 'two-vcpus');
  step();
  const [main, ...children] = await statuses(nodes);
  assert.ok(STARTED.includes(main ?? ''), 'the main node starts first');
  assert.deepEqual(children, ['RUNNABLE', 'RUNNABLE'], 'child nodes wait for the main node to run');
  assert.equal((await statuses([late]))[0], 'RUNNABLE', 'the 2 vCPUs held for the child nodes are not given to a later job');

  await waitForStatus(batch, nodes[0] ?? '', ['RUNNING']);
  step();
  for (const node of nodes.slice(1)) assert.ok(STARTED.includes((await detail(node)).status ?? ''), `${node} starts once the main node runs`);
  for (const node of nodes) await waitForStatus(batch, node, ['RUNNING']);
  assert.equal((await statuses([late]))[0], 'RUNNABLE');

  await batch.send(new TerminateJobCommand({ jobId: gang, reason: 'test over' }));
  await batch.send(new TerminateJobCommand({ jobId: late, reason: 'test over' }));
  await waitForStatus(batch, gang, ['FAILED', 'SUCCEEDED']);
});

test('a gang larger than maxvCpus, or on a Spot environment, waits with AWS\'s MISCONFIGURATION reason and starts no node', async () => {
  await queueOn('narrow', 2);
  await queueOn('spot', 8, 'SPOT');
  const narrow = await submit('narrow', 'gang');
  const spot = await submit('spot', 'gang');
  step();
  for (const node of [0, 1, 2].map((i) => `${narrow}#${i}`)) {
    const job = await detail(node);
    assert.equal(job.status, 'RUNNABLE');
    assert.equal(job.statusReason, 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - CE(s) associated with the job queue cannot meet the CPU requirement of the job.');
  }
  for (const node of [0, 1, 2].map((i) => `${spot}#${i}`)) {
    const job = await detail(node);
    assert.equal(job.status, 'RUNNABLE', 'AWS runs multi-node parallel jobs on no Spot environment');
    assert.equal(
      job.statusReason,
      'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.',
    );
  }
  const small = await submit('narrow', 'one-vcpu');
  step();
  assert.ok(STARTED.includes((await statuses([small]))[0] ?? ''), 'jobs behind a blocked gang still run');
  await stop(small);
});
