/**
 * Shared Batch fixtures for tests: a compute environment, a queue on it, and a job
 * definition running a given command; plus waiting for a job to reach a status.
 */
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobsCommand,
  RegisterJobDefinitionCommand,
} from '@aws-sdk/client-batch';
import type { JobDetail } from '@aws-sdk/client-batch';
import { waitFor } from './server.js';

/** `step` moves a stepped scheduler (servers started with autoSchedule: false). */
export async function createQueue(batch: BatchClient, name: string, maxvCpus = 4, step: () => unknown = () => {}): Promise<string> {
  await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: `${name}-ce`,
      type: 'MANAGED',
      computeResources: { type: 'EC2', maxvCpus, subnets: ['subnet-0123456789abcdef0'], instanceTypes: ['optimal'] },
    }),
  );
  await waitFor(async () => {
    step();
    const out = await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [`${name}-ce`] }));
    return out.computeEnvironments?.[0]?.status === 'VALID';
  }, 'compute environment VALID');
  const queue = await batch.send(
    new CreateJobQueueCommand({ jobQueueName: name, priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: `${name}-ce` }] }),
  );
  return queue.jobQueueArn ?? '';
}

export async function registerCommand(batch: BatchClient, name: string, command: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const out = await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: name,
      type: 'container',
      containerProperties: { image: 'public.ecr.aws/docker/library/busybox:latest', vcpus: 1, memory: 128, command },
      ...extra,
    }),
  );
  return out.jobDefinitionArn ?? '';
}

export async function waitForStatus(batch: BatchClient, jobId: string, statuses: string[], timeoutMs = 15_000): Promise<JobDetail> {
  return waitFor(
    async () => {
      const out = await batch.send(new DescribeJobsCommand({ jobs: [jobId] }));
      const job = out.jobs?.[0];
      return job && statuses.includes(job.status ?? '') ? job : undefined;
    },
    `job ${jobId} to reach ${statuses.join('/')}`,
    timeoutMs,
  );
}
