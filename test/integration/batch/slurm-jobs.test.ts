/**
 * Batch jobs on a real Slurm cluster through the Batch API: a compute environment tagged
 * `batchlink:executor=slurm` places its jobs on the cluster named by BATCHLINK_SLURM_CONF (CI
 * starts one with .ci/slurm.sh); states, exit codes, logs and TerminateJob behave as for local
 * jobs. Skipped, saying why, when no cluster is configured.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { existsSync } from 'node:fs';
import { BatchClient, CreateComputeEnvironmentCommand, CreateJobQueueCommand, DescribeComputeEnvironmentsCommand, SubmitJobCommand, TerminateJobCommand } from '@aws-sdk/client-batch';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, waitFor } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { registerCommand, waitForStatus } from '../../helpers/batch-setup.js';

const slurmConf = process.env.BATCHLINK_SLURM_CONF;
const skip = !slurmConf || !existsSync(slurmConf) ? 'BATCHLINK_SLURM_CONF does not name a running cluster (start one with .ci/slurm.sh start)' : false;

describe('Batch on Slurm', { skip }, () => {
  let server: TestServer;
  let batch: BatchClient;
  let logs: CloudWatchLogsClient;

  before(async () => {
    server = await startTestServer({ slurmConf: slurmConf as string });
    batch = new BatchClient(server.clientConfig);
    logs = new CloudWatchLogsClient(server.clientConfig);
    await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'cluster',
        type: 'MANAGED',
        computeResources: { type: 'EC2', maxvCpus: 8, subnets: ['subnet-1'] },
        tags: { 'batchlink:executor': 'slurm', 'batchlink:slurm-partition': 'debug' },
      }),
    );
    await waitFor(async () => (await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: ['cluster'] }))).computeEnvironments?.[0]?.status === 'VALID', 'VALID');
    await batch.send(new CreateJobQueueCommand({ jobQueueName: 'slurm', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'cluster' }] }));
  });
  after(async () => {
    batch.destroy();
    logs.destroy();
    await server.close();
  });

  test('a job runs on Slurm: SUCCEEDED with its output in CloudWatch Logs; a failing one reports its exit code', async () => {
    await registerCommand(batch, 'on-slurm', ['sh', '-c', 'echo "hello from $AWS_BATCH_JOB_ID on slurm"']);
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'on-slurm', jobQueue: 'slurm', jobDefinition: 'on-slurm' }));
    const job = await waitForStatus(batch, jobId, ['SUCCEEDED', 'FAILED'], 60_000);
    assert.equal(job.status, 'SUCCEEDED', job.statusReason);
    const events = await waitFor(async () => {
      const out = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/batch/job', logStreamName: job.container?.logStreamName, startFromHead: true })).catch(() => undefined);
      return out?.events?.length ? out.events : undefined;
    }, 'the log line', 30_000);
    assert.equal(events[0]?.message, `hello from ${jobId} on slurm`);

    await registerCommand(batch, 'fails-on-slurm', ['sh', '-c', 'exit 4']);
    const failed = await batch.send(new SubmitJobCommand({ jobName: 'fails', jobQueue: 'slurm', jobDefinition: 'fails-on-slurm' }));
    const f = await waitForStatus(batch, failed.jobId ?? '', ['SUCCEEDED', 'FAILED'], 60_000);
    assert.equal(f.status, 'FAILED');
    assert.equal(f.container?.exitCode, 4);
  });

  test('TerminateJob cancels the Slurm job and ends it FAILED with the reason', async () => {
    await registerCommand(batch, 'long-on-slurm', ['sleep', '300']);
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'long', jobQueue: 'slurm', jobDefinition: 'long-on-slurm' }));
    await waitForStatus(batch, jobId, ['RUNNING'], 60_000);
    await batch.send(new TerminateJobCommand({ jobId, reason: 'stop the cluster job' }));
    const job = await waitForStatus(batch, jobId, ['FAILED', 'SUCCEEDED'], 60_000);
    assert.equal(job.status, 'FAILED');
    assert.equal(job.statusReason, 'stop the cluster job');
  });
});
