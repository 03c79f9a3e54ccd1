/**
 * Jobs end to end through @aws-sdk/client-batch and @aws-sdk/client-cloudwatch-logs: a job
 * really runs as a host process, walks SUBMITTED -> … -> SUCCEEDED/FAILED, its output lands in
 * CloudWatch Logs, and ListJobs/DescribeJobs/CancelJob/TerminateJob behave as AWS documents.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BatchClient,
  ClientException,
  CancelJobCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  SubmitJobCommand,
  TerminateJobCommand,
  UpdateJobQueueCommand,
} from '@aws-sdk/client-batch';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, waitFor } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { createQueue, registerCommand, waitForStatus } from '../../helpers/batch-setup.js';

let server: TestServer;
let batch: BatchClient;
let logs: CloudWatchLogsClient;

before(async () => {
  process.env.AWS_SECRET_ACCESS_KEY_OF_SERVER = 'server-secret-must-not-leak';
  server = await startTestServer();
  batch = new BatchClient(server.clientConfig);
  logs = new CloudWatchLogsClient(server.clientConfig);
  await createQueue(batch, 'main', 4);
});
after(async () => {
  batch.destroy();
  logs.destroy();
  await server.close();
});

/** The stream's messages; none yet when the job has not printed anything (no stream exists). */
async function logLines(streamName: string): Promise<string[]> {
  const out = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/batch/job', logStreamName: streamName, startFromHead: true })).catch((error: Error) => {
    if (error.name === 'ResourceNotFoundException') return { events: [] };
    throw error;
  });
  return (out.events ?? []).map((e) => e.message ?? '');
}

describe('running jobs', () => {
  test('SubmitJob: a job runs, succeeds, and its output is in /aws/batch/job under container.logStreamName', async () => {
    await registerCommand(batch, 'hello', ['sh', '-c', 'echo hello from $AWS_BATCH_JOB_ID']);
    const submitted = await batch.send(new SubmitJobCommand({ jobName: 'hello-1', jobQueue: 'main', jobDefinition: 'hello' }));
    assert.match(submitted.jobId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(submitted.jobArn, `arn:aws:batch:us-east-1:000000000000:job/${submitted.jobId}`);
    const job = await waitForStatus(batch, submitted.jobId ?? '', ['SUCCEEDED', 'FAILED']);
    assert.equal(job.status, 'SUCCEEDED');
    assert.equal(job.container?.exitCode, 0);
    assert.equal(job.statusReason, 'Essential container in task exited');
    assert.ok((job.startedAt ?? 0) >= (job.createdAt ?? Infinity) && (job.stoppedAt ?? 0) >= (job.startedAt ?? Infinity));
    assert.equal(job.attempts?.length, 1);
    assert.equal(job.isCancelled, undefined, 'isCancelled is only present when true');
    assert.equal(job.isTerminated, undefined, 'isTerminated is only present when true');
    assert.match(job.container?.logStreamName ?? '', /^hello\/default\/[0-9a-f]{32}$/);
    assert.deepEqual(await logLines(job.container?.logStreamName ?? ''), [`hello from ${submitted.jobId}`]);
  });

  test('SubmitJob: a non-zero exit ends FAILED with the exit code; stderr is captured too', async () => {
    await registerCommand(batch, 'fails', ['sh', '-c', 'echo oops >&2; exit 3']);
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'fails', jobQueue: 'main', jobDefinition: 'fails' }));
    const job = await waitForStatus(batch, jobId, ['SUCCEEDED', 'FAILED']);
    assert.equal(job.status, 'FAILED');
    assert.equal(job.container?.exitCode, 3);
    assert.equal(job.statusReason, 'Essential container in task exited');
    assert.deepEqual(await logLines(job.container?.logStreamName ?? ''), ['oops']);
  });

  test('SubmitJob: the job sees its environment and AWS_BATCH_* variables, Ref:: parameters, argv without a shell, and no server secret', async () => {
    await registerCommand(batch, 'env', ['sh', '-c', 'echo "$GREETING $AWS_BATCH_JQ_NAME $AWS_BATCH_CE_NAME $AWS_BATCH_JOB_ATTEMPT [$AWS_SECRET_ACCESS_KEY_OF_SERVER] $1" ', 'argv0', 'Ref::word'], {
      parameters: { word: 'default' },
    });
    const { jobId = '' } = await batch.send(
      new SubmitJobCommand({
        jobName: 'env',
        jobQueue: 'main',
        jobDefinition: 'env',
        parameters: { word: '$(echo pwned)' },
        containerOverrides: { environment: [{ name: 'GREETING', value: 'hi' }] },
      }),
    );
    const job = await waitForStatus(batch, jobId, ['SUCCEEDED', 'FAILED']);
    assert.equal(job.status, 'SUCCEEDED');
    assert.deepEqual(await logLines(job.container?.logStreamName ?? ''), ['hi main main-ce 1 [] $(echo pwned)']);
  });

  test('SubmitJob: an unknown executable fails the job with CannotStartContainerError', async () => {
    await registerCommand(batch, 'missing-binary', ['no-such-program-xyz']);
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'nobin', jobQueue: 'main', jobDefinition: 'missing-binary' }));
    const job = await waitForStatus(batch, jobId, ['SUCCEEDED', 'FAILED']);
    assert.equal(job.status, 'FAILED');
    assert.match(job.statusReason ?? '', /^CannotStartContainerError: exec: "no-such-program-xyz": executable file not found/);
  });

  test('SubmitJob: retryStrategy attempts re-run a failing job and record every attempt', async () => {
    await registerCommand(batch, 'flaky', ['sh', '-c', 'echo attempt $AWS_BATCH_JOB_ATTEMPT; test "$AWS_BATCH_JOB_ATTEMPT" = 2'], { retryStrategy: { attempts: 3 } });
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'flaky', jobQueue: 'main', jobDefinition: 'flaky' }));
    const job = await waitForStatus(batch, jobId, ['SUCCEEDED', 'FAILED']);
    assert.equal(job.status, 'SUCCEEDED');
    assert.deepEqual(job.attempts?.map((a) => a.container?.exitCode), [1, 0]);
  });

  test('TerminateJob: stops a running job (SIGTERM, then SIGKILL) and ends it FAILED with the given reason', async () => {
    await registerCommand(batch, 'sleeper', ['sh', '-c', 'trap "" TERM; echo started; sleep 30']);
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'sleeper', jobQueue: 'main', jobDefinition: 'sleeper' }));
    const running = await waitForStatus(batch, jobId, ['RUNNING']);
    await waitFor(async () => (await logLines(running.container?.logStreamName ?? '')).includes('started'), 'the job to print');
    await batch.send(new TerminateJobCommand({ jobId, reason: 'stop it' }));
    const job = await waitForStatus(batch, jobId, ['FAILED', 'SUCCEEDED']);
    assert.equal(job.status, 'FAILED');
    assert.equal(job.statusReason, 'stop it');
    assert.equal(job.isTerminated, true);
    assert.equal(job.container?.exitCode, 137, 'the process ignored SIGTERM and was killed');
  });
});

describe('queue behaviour', () => {
  test('CancelJob: a RUNNABLE job in a queue whose environment has no capacity ends FAILED with the reason; ListJobs filters by status', async () => {
    await createQueue(batch, 'tiny', 1);
    await registerCommand(batch, 'big', ['true'], { containerProperties: { image: 'busybox', vcpus: 2, memory: 64, command: ['true'] } });
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'too-big', jobQueue: 'tiny', jobDefinition: 'big' }));
    await waitForStatus(batch, jobId, ['RUNNABLE']);
    const runnable = await batch.send(new ListJobsCommand({ jobQueue: 'tiny', jobStatus: 'RUNNABLE' }));
    assert.deepEqual(runnable.jobSummaryList?.map((j) => j.jobId), [jobId]);
    await batch.send(new CancelJobCommand({ jobId, reason: 'no room' }));
    const job = await waitForStatus(batch, jobId, ['FAILED']);
    assert.equal(job.statusReason, 'no room');
    assert.equal(job.isCancelled, true);
  });

  test('SubmitJob: refuses a DISABLED queue, an unknown queue and an unknown job definition', async () => {
    await createQueue(batch, 'off');
    await batch.send(new UpdateJobQueueCommand({ jobQueue: 'off', state: 'DISABLED' }));
    await waitFor(async () => {
      try {
        await batch.send(new SubmitJobCommand({ jobName: 'x', jobQueue: 'off', jobDefinition: 'hello' }));
        return false;
      } catch (error) {
        return /DISABLED/.test((error as Error).message);
      }
    }, 'disabled queue to refuse');
    await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 'x', jobQueue: 'nope', jobDefinition: 'hello' })), /Job Queue nope does not exist/);
    await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 'x', jobQueue: 'main', jobDefinition: 'nope' })), /Job definition nope does not exist/);
    await assert.rejects(batch.send(new SubmitJobCommand({ jobName: '-bad', jobQueue: 'main', jobDefinition: 'hello' })), /jobName/);
    await assert.rejects(
      batch.send(new SubmitJobCommand({ jobName: 'big', jobQueue: 'main', jobDefinition: 'hello', parameters: { x: 'y'.repeat(31 * 1024) } })),
      /30 KiB/,
    );
    // Refused late (after the queue and definition resolved): no job is left behind.
    await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 'refused-late', jobQueue: 'main', jobDefinition: 'hello', dependsOn: Array.from({ length: 21 }, (_, i) => ({ jobId: `j-${i}` })) })), /at most 20/);
    await assert.rejects(batch.send(new SubmitJobCommand({ jobName: 'refused-late', jobQueue: 'main', jobDefinition: 'hello', arrayProperties: { size: 1 } })), ClientException);
    const left = await batch.send(new ListJobsCommand({ jobQueue: 'main', filters: [{ name: 'JOB_NAME', values: ['refused-late'] }] }));
    assert.deepEqual(left.jobSummaryList, []);
  });

  test('ListJobs: newest first, pages with nextToken, and JOB_NAME filters with a trailing * across statuses', async () => {
    await createQueue(batch, 'listing', 1);
    await registerCommand(batch, 'list-def', ['true'], { containerProperties: { image: 'busybox', vcpus: 2, memory: 64, command: ['true'] } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const out = await batch.send(new SubmitJobCommand({ jobName: `batch-${i}`, jobQueue: 'listing', jobDefinition: 'list-def' }));
      ids.push(out.jobId ?? '');
    }
    await waitFor(async () => (await batch.send(new ListJobsCommand({ jobQueue: 'listing', jobStatus: 'RUNNABLE' }))).jobSummaryList?.length === 5, 'five RUNNABLE');
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await batch.send(new ListJobsCommand({ jobQueue: 'listing', jobStatus: 'RUNNABLE', maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      assert.ok((page.jobSummaryList?.length ?? 0) <= 2);
      seen.push(...(page.jobSummaryList ?? []).map((j) => j.jobId ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(seen, [...ids].reverse());
    const filtered = await batch.send(new ListJobsCommand({ jobQueue: 'listing', filters: [{ name: 'JOB_NAME', values: ['BATCH-3*'] }] }));
    assert.deepEqual(filtered.jobSummaryList?.map((j) => j.jobName), ['batch-3']);
    const byDef = await batch.send(new ListJobsCommand({ jobQueue: 'listing', filters: [{ name: 'JOB_DEFINITION', values: ['list-def'] }] }));
    assert.equal(byDef.jobSummaryList?.length, 5);
    await assert.rejects(
      batch.send(new ListJobsCommand({ jobQueue: 'listing', filters: [{ name: 'JOB_NAME', values: ['a'] }, { name: 'JOB_DEFINITION', values: ['b'] }] })),
      /Only one filter/,
    );
    const running = await batch.send(new ListJobsCommand({ jobQueue: 'listing' }));
    assert.deepEqual(running.jobSummaryList, [], 'jobStatus defaults to RUNNING');
  });

  test('DescribeJobs: refuses more than 100 ids and omits unknown ones', async () => {
    await assert.rejects(batch.send(new DescribeJobsCommand({ jobs: Array.from({ length: 101 }, (_, i) => `id-${i}`) })), /at most 100/);
    const out = await batch.send(new DescribeJobsCommand({ jobs: ['00000000-0000-0000-0000-000000000000'] }));
    assert.deepEqual(out.jobs, []);
  });
});
