/**
 * Durability: start batchlink as a child process, submit jobs, kill -9 it, start it again on
 * the same data directory. Every acknowledged job is still there; jobs that were running end
 * FAILED with AWS's host-terminated reason (and their orphaned processes are gone); waiting
 * jobs run to completion. Also checks a graceful SIGTERM stop.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BatchClient, DescribeJobsCommand, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { startChildServer } from '../helpers/child-server.js';
import type { ChildServer } from '../helpers/child-server.js';
import { createQueue, registerCommand, waitForStatus } from '../helpers/batch-setup.js';
import { waitFor } from '../helpers/server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'batchlink-crash-'));
const servers: ChildServer[] = [];
after(async () => {
  for (const s of servers) await s.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function client(url: string): BatchClient {
  return new BatchClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** Pids whose environment names this job (a job's orphaned processes). */
function processesOf(jobId: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`AWS_BATCH_JOB_ID=${jobId}`)) pids.push(Number(entry));
    } catch {
      // exited or not ours
    }
  }
  return pids;
}

test('kill -9 loses no acknowledged job; running jobs end FAILED with a reason; waiting jobs still run', async () => {
  const first = await startChildServer(['--data-dir', dataDir]);
  servers.push(first);
  let batch = client(first.url);
  await createQueue(batch, 'crash', 1);
  await registerCommand(batch, 'long', ['sh', '-c', 'echo running; sleep 120']);
  await registerCommand(batch, 'quick', ['true']);
  const running = await batch.send(new SubmitJobCommand({ jobName: 'long', jobQueue: 'crash', jobDefinition: 'long' }));
  await waitForStatus(batch, running.jobId ?? '', ['RUNNING']);
  // The queue's single vCPU is busy: these wait RUNNABLE behind the long job.
  const waiting: string[] = [];
  for (let i = 0; i < 20; i++) {
    waiting.push((await batch.send(new SubmitJobCommand({ jobName: `quick-${i}`, jobQueue: 'crash', jobDefinition: 'quick' }))).jobId ?? '');
  }
  await waitFor(() => processesOf(running.jobId ?? '').length > 0, 'the long job process');
  batch.destroy();
  assert.equal(await first.kill('SIGKILL'), null);

  const second = await startChildServer(['--data-dir', dataDir]);
  servers.push(second);
  batch = client(second.url);
  const lost = await waitForStatus(batch, running.jobId ?? '', ['FAILED']);
  assert.match(lost.statusReason ?? '', /^Host EC2 \(instance i-[0-9a-f]{17}\) terminated\.$/);
  assert.match(lost.attempts?.[0]?.container?.reason ?? '', /batchlink stopped while this job was running/);
  await waitFor(() => processesOf(running.jobId ?? '').length === 0, 'the orphaned process to be gone', 5000);
  for (const jobId of waiting) {
    const job = await waitForStatus(batch, jobId, ['SUCCEEDED', 'FAILED'], 30_000);
    assert.equal(job.status, 'SUCCEEDED', `${jobId}: ${job.statusReason}`);
  }
  const described = await batch.send(new DescribeJobsCommand({ jobs: [running.jobId ?? '', ...waiting] }));
  assert.equal(described.jobs?.length, 21, 'every acknowledged job is present');

  // A graceful stop (SIGTERM) exits 0 and the state is still there afterwards.
  assert.equal(await second.kill('SIGTERM'), 0);
  const third = await startChildServer(['--data-dir', dataDir]);
  servers.push(third);
  const again = client(third.url);
  const succeeded = await again.send(new ListJobsCommand({ jobQueue: 'crash', jobStatus: 'SUCCEEDED' }));
  assert.equal(succeeded.jobSummaryList?.length, 20);
  batch.destroy();
  again.destroy();
});
