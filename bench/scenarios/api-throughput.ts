/**
 * Scenarios 1 and 2: SubmitJob throughput and DescribeJobs (100 ids per call) throughput,
 * each through (a) batchlink's gateway, (b) an interface endpoint carrying AWS's example
 * endpoint policy, (c) moto. The compute environment is DISABLED so jobs stop at RUNNABLE and
 * no job process competes with the API for the 2 cores (moto's simple backend marks them
 * SUCCEEDED inline).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchConfig } from '../lib/config.js';
import { createBatchEndpoint, createQueue } from '../lib/fixtures.js';
import type { EndpointFixture, QueueFixture } from '../lib/fixtures.js';
import { runLoad } from '../lib/load.js';
import type { LoadRequest, LoadResult, LoadSpec } from '../lib/load-types.js';
import { cpuSecondsOf, memoryOf, motoAvailable, startBatchlink, startMoto } from '../lib/peers.js';
import type { PeerProcess } from '../lib/peers.js';
import type { Target } from '../lib/signing.js';
import { round, summarize } from '../lib/stats.js';
import type { LatencySummary } from '../lib/stats.js';

export type PeerName = 'batchlink-gateway' | 'batchlink-endpoint' | 'moto';

export interface ThroughputRun {
  peer: PeerName;
  ran: boolean;
  why?: string;
  requested?: number;
  completed?: number;
  ok?: number;
  errors?: number;
  statuses?: Record<string, number>;
  errorSamples?: string[];
  durationS?: number;
  requestsPerSecond?: number;
  latencyMs?: LatencySummary;
  connections?: number;
  tcpConnectsDuringRun?: number;
  timedOut?: boolean;
  warmupRequests?: number;
  signing?: { totalMs: number; usPerRequest: number };
  /** CPU the server process used per completed request (user + system), µs, whole process. */
  serverCpuUsPerRequest?: number;
  /** CPU the load generator used per completed request, µs. */
  generatorCpuUsPerRequest?: number;
  /** When the run was repeated: every run's figures (this object is the median run by req/s). */
  repeats?: { requestsPerSecond: number[]; p99Ms: number[]; serverCpuUsPerRequest: number[] };
}

export interface ApiThroughputResult {
  submitJob: ThroughputRun[];
  describeJobs: ThroughputRun[];
  endpoint: EndpointFixture | { ok: false; why: string };
  batchlinkRssMiB?: { afterRuns: number; peak: number };
  motoRssMiB?: { afterRuns: number; peak: number };
  /** batchlink / moto requests per second, per batchlink path. */
  ratios: { submitJob: Record<string, number | null>; describeJobs: Record<string, number | null> };
}

export function figures(peer: PeerName, result: LoadResult, serverCpuS?: number): ThroughputRun {
  return {
    peer,
    ran: true,
    requested: result.requested,
    completed: result.completed,
    ok: result.ok,
    errors: result.errors,
    statuses: result.statuses,
    errorSamples: result.errorSamples,
    durationS: round(result.durationMs / 1000, 3),
    requestsPerSecond: round(result.requestsPerSecond, 1),
    latencyMs: summarize(result.latenciesMs),
    connections: result.connections,
    tcpConnectsDuringRun: result.connects,
    timedOut: result.timedOut,
    warmupRequests: result.warmup,
    signing: { totalMs: round(result.signMs, 1), usPerRequest: round(result.signUsPerRequest, 1) },
    ...(serverCpuS !== undefined && result.completed > 0 ? { serverCpuUsPerRequest: round((serverCpuS * 1e6) / result.completed, 0) } : {}),
    ...(result.completed > 0 ? { generatorCpuUsPerRequest: round((result.generatorCpuMs * 1000) / result.completed, 0) } : {}),
  };
}

/** Runs a load and measures the server's CPU over the measured phase only (not warm-up, not signing). */
export async function measuredLoad(pid: number, request: LoadRequest): Promise<{ result: LoadResult; serverCpuS?: number }> {
  let before: number | undefined;
  let after: number | undefined;
  const result = await runLoad(request, {
    onMeasureStart: () => (before = cpuSecondsOf(pid)),
    onMeasureEnd: () => (after = cpuSecondsOf(pid)),
  });
  return { result, ...(before !== undefined && after !== undefined ? { serverCpuS: after - before } : {}) };
}

async function submitAndDescribe(
  config: BenchConfig,
  pid: number,
  peer: PeerName,
  target: Target,
  fixture: QueueFixture,
  limits: { submit: number; describe: number; maxDurationMs: number; warmup: number },
): Promise<{ submit: ThroughputRun; describe: ThroughputRun }> {
  const submitSpec: LoadSpec = { kind: 'submit', jobQueue: fixture.jobQueue, jobDefinition: fixture.jobDefinition, namePrefix: `bench-${peer}` };
  const { result: submitted, serverCpuS: submitCpu } = await measuredLoad(pid, {
    target,
    spec: submitSpec,
    count: limits.submit,
    warmup: limits.warmup,
    connections: config.connections,
    maxDurationMs: limits.maxDurationMs,
    collectJobIds: true,
  });
  const submit = figures(peer, submitted, submitCpu);
  if (submitted.jobIds.length === 0) {
    return { submit, describe: { peer, ran: false, why: 'not run: SubmitJob returned no job ids to describe' } };
  }
  const { result: described, serverCpuS: describeCpu } = await measuredLoad(pid, {
    target,
    spec: { kind: 'describe', ids: submitted.jobIds, perCall: config.describeIdsPerCall },
    count: limits.describe,
    warmup: Math.min(limits.warmup, limits.describe),
    connections: config.connections,
    maxDurationMs: limits.maxDurationMs,
  });
  return { submit, describe: figures(peer, described, describeCpu) };
}

/** The median run by requests per second (the lower one of the middle two), with every run's figures. */
export function medianRun(runs: ThroughputRun[]): ThroughputRun {
  const ran = runs.filter((r) => r.ran);
  if (ran.length === 0) return runs[0] ?? { peer: 'moto', ran: false, why: 'not run' };
  const sorted = [...ran].sort((a, b) => (a.requestsPerSecond ?? 0) - (b.requestsPerSecond ?? 0));
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as ThroughputRun;
  if (ran.length === 1) return median;
  return {
    ...median,
    repeats: {
      requestsPerSecond: ran.map((r) => r.requestsPerSecond ?? 0),
      p99Ms: ran.map((r) => r.latencyMs?.p99 ?? 0),
      serverCpuUsPerRequest: ran.map((r) => r.serverCpuUsPerRequest ?? 0),
    },
  };
}

/** Runs SubmitJob + DescribeJobs `times` times on one path and keeps the median run of each. */
async function repeated(times: number, run: () => Promise<{ submit: ThroughputRun; describe: ThroughputRun }>): Promise<{ submit: ThroughputRun; describe: ThroughputRun }> {
  const runs: Array<{ submit: ThroughputRun; describe: ThroughputRun }> = [];
  for (let i = 0; i < Math.max(1, times); i++) runs.push(await run());
  return { submit: medianRun(runs.map((r) => r.submit)), describe: medianRun(runs.map((r) => r.describe)) };
}

function ratio(a: ThroughputRun | undefined, b: ThroughputRun | undefined): number | null {
  if (!a?.ran || !b?.ran || !a.requestsPerSecond || !b.requestsPerSecond) return null;
  return round(a.requestsPerSecond / b.requestsPerSecond, 1);
}

export async function runApiThroughput(config: BenchConfig, log: (line: string) => void): Promise<ApiThroughputResult> {
  const submitJob: ThroughputRun[] = [];
  const describeJobs: ThroughputRun[] = [];
  const result: ApiThroughputResult = { submitJob, describeJobs, endpoint: { ok: false, why: 'not attempted' }, ratios: { submitJob: {}, describeJobs: {} } };
  const batchLimits = { submit: config.submitCount, describe: config.describeCount, maxDurationMs: config.maxDurationMs, warmup: config.warmup };

  const dataDir = mkdtempSync(join(tmpdir(), 'batchlink-bench-api-'));
  let server: PeerProcess | undefined;
  try {
    server = await startBatchlink({ dataDir, runtime: config.runtime });
    const fixture = await createQueue(server.url, { name: 'bench-api', ceState: 'DISABLED', vcpus: 4, command: ['true'] });
    log(`  (a) gateway ${server.url}`);
    const gatewayTarget = { host: server.host, port: server.port };
    const pid = server.pid;
    const gateway = await repeated(config.apiRepeats, () => submitAndDescribe(config, pid, 'batchlink-gateway', gatewayTarget, fixture, batchLimits));
    submitJob.push(gateway.submit);
    describeJobs.push(gateway.describe);
    log(`      SubmitJob ${gateway.submit.requestsPerSecond} req/s, DescribeJobs ${gateway.describe.requestsPerSecond ?? '-'} req/s (median of ${Math.max(1, config.apiRepeats)})`);

    const endpoint = await createBatchEndpoint(server.url);
    result.endpoint = endpoint;
    if (endpoint.ok) {
      log(`  (b) endpoint ${endpoint.vpcEndpointId} at ${endpoint.host}:${endpoint.port} (policy enforced: ${endpoint.policyEnforced})`);
      const endpointTarget = { host: endpoint.host, port: endpoint.port };
      const via = await repeated(config.apiRepeats, () => submitAndDescribe(config, pid, 'batchlink-endpoint', endpointTarget, fixture, batchLimits));
      submitJob.push(via.submit);
      describeJobs.push(via.describe);
      log(`      SubmitJob ${via.submit.requestsPerSecond} req/s, DescribeJobs ${via.describe.requestsPerSecond ?? '-'} req/s (median of ${Math.max(1, config.apiRepeats)})`);
    } else {
      const why = `not run: ${endpoint.why}`;
      log(`  (b) endpoint ${why}`);
      submitJob.push({ peer: 'batchlink-endpoint', ran: false, why });
      describeJobs.push({ peer: 'batchlink-endpoint', ran: false, why });
    }
    const memory = memoryOf(server.pid);
    if (memory) result.batchlinkRssMiB = { afterRuns: round(memory.rssMiB, 1), peak: round(memory.peakRssMiB, 1) };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (!config.moto || !motoAvailable()) {
    const why = config.moto ? 'not run: python3 cannot import moto' : 'not run: moto disabled (--no-moto)';
    submitJob.push({ peer: 'moto', ran: false, why });
    describeJobs.push({ peer: 'moto', ran: false, why });
  } else {
    let moto: PeerProcess | undefined;
    try {
      moto = await startMoto();
      log(`  (c) moto ${moto.url}`);
      const fixture = await createQueue(moto.url, { name: 'bench-api', ceState: 'ENABLED', vcpus: 4, command: ['true'], createServiceRole: true });
      const runs = await submitAndDescribe(config, moto.pid, 'moto', { host: moto.host, port: moto.port }, fixture, {
        submit: config.motoSubmitCount,
        describe: config.motoDescribeCount,
        maxDurationMs: config.motoMaxDurationMs,
        warmup: Math.min(config.warmup, 100),
      });
      submitJob.push(runs.submit);
      describeJobs.push(runs.describe);
      log(`      SubmitJob ${runs.submit.requestsPerSecond} req/s, DescribeJobs ${runs.describe.requestsPerSecond ?? '-'} req/s`);
      const memory = memoryOf(moto.pid);
      if (memory) result.motoRssMiB = { afterRuns: round(memory.rssMiB, 1), peak: round(memory.peakRssMiB, 1) };
    } catch (error) {
      const why = `not run: ${error instanceof Error ? error.message : String(error)}`;
      if (!submitJob.some((r) => r.peer === 'moto')) submitJob.push({ peer: 'moto', ran: false, why });
      if (!describeJobs.some((r) => r.peer === 'moto')) describeJobs.push({ peer: 'moto', ran: false, why });
    } finally {
      await moto?.stop();
    }
  }

  const find = (runs: ThroughputRun[], peer: PeerName) => runs.find((r) => r.peer === peer);
  for (const [key, runs] of [['submitJob', submitJob], ['describeJobs', describeJobs]] as const) {
    result.ratios[key] = {
      'gateway/moto': ratio(find(runs, 'batchlink-gateway'), find(runs, 'moto')),
      'endpoint/moto': ratio(find(runs, 'batchlink-endpoint'), find(runs, 'moto')),
    };
  }
  return result;
}
