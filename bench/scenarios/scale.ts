/**
 * Scenario 4 (and 5's large case): a store of N jobs. One real job is submitted through the
 * API as a template; the server is stopped and N SUCCEEDED copies are inserted straight into
 * SQLite through the store's JobTable, one transaction per `seedBatch` rows (seeding only: the
 * measured calls all go through the API). Then: start-up time on that store, ListJobs first
 * page and deep pages (nextToken), DescribeJobs(100) latency, database size, server RSS, and
 * an array job of `arraySize` children.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/store/database.js';
import { JobTable } from '../../src/store/job-table.js';
import type { JobRecord } from '../../src/batch/model.js';
import type { BenchConfig } from '../lib/config.js';
import { createQueue } from '../lib/fixtures.js';
import { measureStartup, memoryOf, startBatchlink } from '../lib/peers.js';
import type { PeerProcess } from '../lib/peers.js';
import { ApiProbe } from '../lib/probe.js';
import { round, summarize } from '../lib/stats.js';
import type { LatencySummary } from '../lib/stats.js';

export interface ArrayJobResult {
  ran: boolean;
  why?: string;
  size: number;
  acceptedMs?: number[];
  maxAcceptedMs?: number;
  /** DescribeJobs of the first parent right after acceptance: its arrayProperties (size, statusSummary). */
  parentArrayProperties?: unknown;
  /** From the last array accepted until no child of any of them is SUBMITTED (scheduler catching up). */
  childrenOutOfSubmittedMs?: number | string;
}

export interface ScaleResult {
  jobs: number;
  seeding: { rows: number; seconds: number; rowsPerSecond: number; method: string };
  databaseMiB: { db: number; wal: number; total: number };
  startupMs: number[];
  listJobsFirstPageMs: LatencySummary;
  listJobsDeepPageMs: LatencySummary;
  listJobsPage50Ms: LatencySummary;
  listJobsPageSize: number;
  pagesFollowed: number;
  describeJobs100Ms: LatencySummary;
  serverRssMiB: { afterStart?: number; afterQueries?: number; peakBeforeArray?: number; peakAtEnd?: number };
  arrayJob: ArrayJobResult;
}

function fileMiB(path: string): number {
  try {
    return statSync(path).size / (1024 * 1024);
  } catch {
    return 0;
  }
}

/** Inserts `count` SUCCEEDED copies of the template through JobTable, `batch` rows per transaction. */
export function seedJobs(dbFile: string, template: JobRecord, count: number, batch: number): { ids: string[]; seconds: number } {
  const db = openDatabase(dbFile);
  const table = new JobTable(db);
  const sampleIds: string[] = [];
  const t0 = performance.now();
  const base = Date.now() - count - 60_000;
  const arnPrefix = template.detail.jobArn.slice(0, template.detail.jobArn.lastIndexOf('/') + 1);
  try {
    for (let start = 0; start < count; start += batch) {
      db.transaction(() => {
        for (let i = start; i < Math.min(count, start + batch); i++) {
          const jobId = randomUUID();
          const createdAt = base + i;
          const record: JobRecord = {
            detail: {
              ...template.detail,
              jobId,
              jobArn: `${arnPrefix}${jobId}`,
              jobName: `seeded-${i}`,
              status: 'SUCCEEDED',
              createdAt,
              startedAt: createdAt + 5,
              stoppedAt: createdAt + 25,
              statusReason: 'Essential container in task exited',
              attempts: [{ container: { exitCode: 0, taskArn: `task-${i}` }, startedAt: createdAt + 5, stoppedAt: createdAt + 25, statusReason: 'Essential container in task exited' }],
            },
            internal: { ...template.internal, attempt: 1 },
          };
          table.insert(record);
          if (i % Math.max(1, Math.floor(count / 5000)) === 0) sampleIds.push(jobId);
        }
      })();
    }
  } finally {
    db.close();
  }
  return { ids: sampleIds, seconds: (performance.now() - t0) / 1000 };
}

async function timed<T>(n: number, fn: (i: number) => Promise<{ ms: number } & T>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push((await fn(i)).ms);
  return samples;
}

export async function runScale(
  config: BenchConfig,
  log: (line: string) => void,
  options: { keepDataDir?: boolean } = {},
): Promise<{ result: ScaleResult; dataDir?: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'batchlink-bench-scale-'));
  const dbFile = join(dataDir, 'batchlink.db');
  let server: PeerProcess | undefined;
  try {
    // 1. Fixture and one real job as the template.
    server = await startBatchlink({ dataDir, runtime: config.runtime });
    const fixture = await createQueue(server.url, { name: 'bench-scale', ceState: 'DISABLED', vcpus: 4, command: ['true'] });
    const setupProbe = new ApiProbe({ host: server.host, port: server.port });
    const first = await setupProbe.ok<{ jobId: string }>('SubmitJob', { jobName: 'template', jobQueue: fixture.jobQueue, jobDefinition: fixture.jobDefinition });
    setupProbe.close();
    await server.stop();
    server = undefined;

    // 2. Seed.
    const templateDb = openDatabase(dbFile);
    const template = new JobTable(templateDb).get(first.json.jobId);
    templateDb.close();
    if (!template) throw new Error('the template job is not in the store');
    const seeded = seedJobs(dbFile, template, config.scaleJobs, config.seedBatch);
    log(`      seeded ${config.scaleJobs} jobs in ${round(seeded.seconds, 1)} s`);
    const databaseMiB = { db: round(fileMiB(dbFile), 1), wal: round(fileMiB(`${dbFile}-wal`), 1), total: 0 };
    databaseMiB.total = round(databaseMiB.db + databaseMiB.wal + fileMiB(`${dbFile}-shm`), 1);

    // 3. Start-up on the large store.
    const startupMs: number[] = [];
    for (let i = 0; i < config.startupRepeats; i++) startupMs.push(round((await measureStartup({ dataDir, runtime: config.runtime })).ms, 1));
    log(`      start-up with ${config.scaleJobs} jobs: ${startupMs.join(', ')} ms`);

    // 4. Queries.
    server = await startBatchlink({ dataDir, runtime: config.runtime });
    const afterStart = memoryOf(server.pid)?.rssMiB;
    const probe = new ApiProbe({ host: server.host, port: server.port });
    const listInput = { jobQueue: fixture.jobQueue, jobStatus: 'SUCCEEDED' };
    await probe.ok('ListJobs', listInput); // first touch
    const firstPage = await timed(config.latencyProbes, () => probe.ok('ListJobs', listInput));
    const deep: number[] = [];
    const page50: number[] = [];
    let pageSize = 0;
    let pagesFollowed = 0;
    for (let run = 0; run < config.pagingRuns; run++) {
      let token: string | undefined;
      for (let page = 1; page <= config.listPages; page++) {
        const answer = await probe.ok<{ jobSummaryList: unknown[]; nextToken?: string }>('ListJobs', { ...listInput, ...(token ? { nextToken: token } : {}) });
        pageSize = Math.max(pageSize, answer.json.jobSummaryList.length);
        if (page > 1) deep.push(answer.ms);
        if (page === config.listPages) page50.push(answer.ms);
        pagesFollowed = Math.max(pagesFollowed, page);
        token = answer.json.nextToken;
        if (!token) break;
      }
    }
    const pool = seeded.ids;
    const describe = await timed(config.latencyProbes, (i) => {
      const ids = Array.from({ length: 100 }, (_, k) => pool[(i * 37 + k * 53) % pool.length] as string);
      return probe.ok('DescribeJobs', { jobs: ids });
    });
    const afterQueries = memoryOf(server.pid);

    // 5. Array job.
    const arrayJob: ArrayJobResult = { ran: false, size: config.arraySize };
    const acceptedMs: number[] = [];
    const parents: string[] = [];
    for (let i = 0; i < config.arrayRepeats; i++) {
      const answer = await probe.call<{ jobId?: string; message?: string }>('SubmitJob', {
        jobName: `array-${i}`,
        jobQueue: fixture.jobQueue,
        jobDefinition: fixture.jobDefinition,
        arrayProperties: { size: config.arraySize },
      });
      if (answer.status !== 200) {
        arrayJob.why = /arrayProperties/.test(answer.text) && /not supported/.test(answer.text)
          ? 'not run: arrays not supported yet'
          : `not run: SubmitJob with arrayProperties answered ${answer.status} ${answer.text.slice(0, 200)}`;
        break;
      }
      acceptedMs.push(round(answer.ms, 1));
      if (answer.json.jobId) parents.push(answer.json.jobId);
      if (i === 0 && answer.json.jobId) {
        const parent = await probe.call<{ jobs?: Array<{ arrayProperties?: unknown }> }>('DescribeJobs', { jobs: [answer.json.jobId] });
        arrayJob.parentArrayProperties = parent.status === 200 ? parent.json.jobs?.[0]?.arrayProperties : `DescribeJobs answered ${parent.status}`;
      }
    }
    if (acceptedMs.length > 0) {
      const t0 = performance.now();
      const deadline = Date.now() + 120_000;
      for (;;) {
        const answer = await probe.ok<{ jobs: Array<{ arrayProperties?: { statusSummary?: Record<string, number> } }> }>('DescribeJobs', { jobs: parents });
        const submitted = answer.json.jobs.reduce((n, job) => n + (job.arrayProperties?.statusSummary?.SUBMITTED ?? 0), 0);
        if (submitted === 0) {
          arrayJob.childrenOutOfSubmittedMs = round(performance.now() - t0, 0);
          break;
        }
        if (Date.now() > deadline) {
          arrayJob.childrenOutOfSubmittedMs = `${submitted} children still SUBMITTED after 120 s`;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      arrayJob.ran = true;
      arrayJob.acceptedMs = acceptedMs;
      arrayJob.maxAcceptedMs = Math.max(...acceptedMs);
    }
    const peak = memoryOf(server.pid)?.peakRssMiB;
    probe.close();
    const result: ScaleResult = {
      jobs: config.scaleJobs,
      seeding: {
        rows: config.scaleJobs,
        seconds: round(seeded.seconds, 2),
        rowsPerSecond: round(config.scaleJobs / seeded.seconds, 0),
        method: `JobTable.insert straight into SQLite (server stopped), one transaction per ${config.seedBatch} rows; each row a SUCCEEDED copy of a job submitted through the API`,
      },
      databaseMiB,
      startupMs,
      listJobsFirstPageMs: summarize(firstPage),
      listJobsDeepPageMs: summarize(deep),
      listJobsPage50Ms: summarize(page50),
      listJobsPageSize: pageSize,
      pagesFollowed,
      describeJobs100Ms: summarize(describe),
      serverRssMiB: {
        ...(afterStart !== undefined ? { afterStart: round(afterStart, 1) } : {}),
        ...(afterQueries ? { afterQueries: round(afterQueries.rssMiB, 1), peakBeforeArray: round(afterQueries.peakRssMiB, 1) } : {}),
        ...(peak !== undefined ? { peakAtEnd: round(peak, 1) } : {}),
      },
      arrayJob,
    };
    return { result, ...(options.keepDataDir ? { dataDir } : {}) };
  } finally {
    await server?.stop();
    if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
