/**
 * Scenario 3: trivial jobs (`true`) on the local executor, from SubmitJob to SUCCEEDED.
 * Burst: N jobs submitted at once by the load generator (64 connections), then polled with
 * DescribeJobs until all are terminal; times come from the jobs' own createdAt / startedAt /
 * stoppedAt. Idle: one job at a time on a quiet server (SUBMITTED -> RUNNING latency).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchConfig } from '../lib/config.js';
import { createQueue } from '../lib/fixtures.js';
import { runLoad } from '../lib/load.js';
import { cpuSecondsOf, memoryOf, startBatchlink } from '../lib/peers.js';
import type { PeerProcess } from '../lib/peers.js';
import { ApiProbe } from '../lib/probe.js';
import { round, summarize } from '../lib/stats.js';
import type { LatencySummary } from '../lib/stats.js';
import { figures } from './api-throughput.js';
import type { ThroughputRun } from './api-throughput.js';

interface JobTimes {
  jobId: string;
  status: string;
  createdAt?: number;
  startedAt?: number;
  stoppedAt?: number;
}

export interface TrivialJobsResult {
  jobs: number;
  computeVcpus: number;
  submit: ThroughputRun;
  succeeded: number;
  failed: number;
  failureSamples: string[];
  /** jobs / (last stoppedAt - first createdAt), server clock. */
  jobsPerSecond: number;
  /** From the first SubmitJob sent to seeing every job terminal (client clock, includes polling granularity). */
  wallSeconds: number;
  submittedToRunningMs: LatencySummary;
  submitToSucceededMs: LatencySummary;
  idle: { jobs: number; submittedToRunningMs: LatencySummary; submitToSucceededMs: LatencySummary };
  serverRssMiB?: { afterRuns: number; peak: number };
  /** Server process CPU (user + system) from the burst's first request to all terminal, per job. */
  serverCpuMsPerJob?: number;
}

async function describeAll(probe: ApiProbe, ids: string[]): Promise<JobTimes[]> {
  const out: JobTimes[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const answer = await probe.ok<{ jobs: JobTimes[] }>('DescribeJobs', { jobs: ids.slice(i, i + 100) });
    out.push(...answer.json.jobs);
  }
  return out;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED']);

/**
 * Polls until every job is terminal. The queue runs jobs oldest first, so each poll describes
 * only the newest 100 pending jobs until those are all terminal, then everything still pending:
 * describing all 2,000 jobs every 100 ms (≈ 5 MB of JSON parsed here, 20 DescribeJobs there) took
 * CPU from the very job processes being measured.
 */
async function waitTerminal(probe: ApiProbe, ids: string[], timeoutMs: number, intervalMs: number): Promise<Map<string, JobTimes>> {
  const done = new Map<string, JobTimes>();
  let pending = ids;
  const deadline = Date.now() + timeoutMs;
  while (pending.length > 0) {
    const newest = await describeAll(probe, pending.slice(-100));
    const jobs = newest.every((job) => TERMINAL.has(job.status)) ? await describeAll(probe, pending) : newest;
    for (const job of jobs) if (TERMINAL.has(job.status)) done.set(job.jobId, job);
    pending = pending.filter((id) => !done.has(id));
    if (pending.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending.length} of ${ids.length} jobs not terminal after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return done;
}

export async function runTrivialJobs(config: BenchConfig, log: (line: string) => void): Promise<TrivialJobsResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'batchlink-bench-jobs-'));
  let server: PeerProcess | undefined;
  try {
    server = await startBatchlink({ dataDir, runtime: config.runtime });
    const target = { host: server.host, port: server.port };
    const pid = server.pid;
    const fixture = await createQueue(server.url, { name: 'bench-jobs', ceState: 'ENABLED', vcpus: config.trivialVcpus, command: ['true'] });
    const probe = new ApiProbe(target);

    // Burst.
    const t0 = performance.now();
    let cpuBefore: number | undefined;
    const load = await runLoad({
      target,
      spec: { kind: 'submit', jobQueue: fixture.jobQueue, jobDefinition: fixture.jobDefinition, namePrefix: 'trivial' },
      count: config.trivialJobs,
      warmup: 0,
      connections: config.connections,
      maxDurationMs: config.maxDurationMs,
      collectJobIds: true,
    }, { onMeasureStart: () => (cpuBefore = cpuSecondsOf(pid)) });
    const done = await waitTerminal(probe, load.jobIds, 300_000, 100);
    const cpuAfter = cpuSecondsOf(pid);
    const wallSeconds = (performance.now() - t0 - load.signMs) / 1000;
    const jobs = [...done.values()];
    const succeeded = jobs.filter((j) => j.status === 'SUCCEEDED');
    const failed = jobs.filter((j) => j.status === 'FAILED');
    const firstCreated = Math.min(...jobs.map((j) => j.createdAt ?? Infinity));
    const lastStopped = Math.max(...jobs.map((j) => j.stoppedAt ?? 0));
    const failureSamples = failed.length ? (await describeAll(probe, failed.slice(0, 3).map((j) => j.jobId))).map((j) => JSON.stringify(j).slice(0, 400)) : [];
    log(`      ${succeeded.length}/${jobs.length} SUCCEEDED in ${round((lastStopped - firstCreated) / 1000, 2)} s (server clock)`);

    // Idle: one job at a time.
    const idleRunning: number[] = [];
    const idleDone: number[] = [];
    for (let i = 0; i < config.idleJobs; i++) {
      const submitted = await probe.ok<{ jobId: string }>('SubmitJob', { jobName: `idle-${i}`, jobQueue: fixture.jobQueue, jobDefinition: fixture.jobDefinition });
      const finished = await waitTerminal(probe, [submitted.json.jobId], 30_000, 2);
      const job = finished.get(submitted.json.jobId);
      if (job?.createdAt !== undefined && job.startedAt !== undefined) idleRunning.push(job.startedAt - job.createdAt);
      if (job?.createdAt !== undefined && job.stoppedAt !== undefined) idleDone.push(job.stoppedAt - job.createdAt);
      await new Promise((resolve) => setTimeout(resolve, 50)); // let the server go quiet again between jobs
    }
    const memory = memoryOf(server.pid);
    probe.close();
    return {
      jobs: config.trivialJobs,
      computeVcpus: config.trivialVcpus,
      submit: figures('batchlink-gateway', load),
      succeeded: succeeded.length,
      failed: failed.length,
      failureSamples,
      jobsPerSecond: round(jobs.length / Math.max(0.001, (lastStopped - firstCreated) / 1000), 1),
      wallSeconds: round(wallSeconds, 2),
      submittedToRunningMs: summarize(succeeded.flatMap((j) => (j.startedAt !== undefined && j.createdAt !== undefined ? [j.startedAt - j.createdAt] : []))),
      submitToSucceededMs: summarize(succeeded.flatMap((j) => (j.stoppedAt !== undefined && j.createdAt !== undefined ? [j.stoppedAt - j.createdAt] : []))),
      idle: { jobs: config.idleJobs, submittedToRunningMs: summarize(idleRunning), submitToSucceededMs: summarize(idleDone) },
      ...(cpuBefore !== undefined && cpuAfter !== undefined ? { serverCpuMsPerJob: round(((cpuAfter - cpuBefore) * 1000) / config.trivialJobs, 2) } : {}),
      ...(memory ? { serverRssMiB: { afterRuns: round(memory.rssMiB, 1), peak: round(memory.peakRssMiB, 1) } } : {}),
    };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
