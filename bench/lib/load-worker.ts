/**
 * The load generator, run as its own child process (forked by bench/lib/load.ts). It receives
 * a workload over IPC, pre-signs every request of it with SigV4 (each request signed on its own:
 * own body, own signature), then drives them through N keep-alive connections, bounded in count
 * and in time, and reports per-request latencies, statuses and the ids the server returned.
 */
import { performance } from 'node:perf_hooks';
import { RawConnection } from './raw-http.js';
import { RequestSigner } from './signing.js';
import type { LoadRequest, LoadResult } from './load-types.js';

async function buildRequests(request: LoadRequest): Promise<{ warmup: Buffer[]; measured: Buffer[] }> {
  const signer = new RequestSigner(request.target);
  const spec = request.spec;
  const bodies: Array<[string, unknown]> = [];
  const total = request.warmup + request.count;
  for (let i = 0; i < total; i++) {
    if (spec.kind === 'submit') {
      bodies.push([
        'SubmitJob',
        { jobName: `${spec.namePrefix}-${i}`, jobQueue: spec.jobQueue, jobDefinition: spec.jobDefinition, ...(spec.extra ?? {}) },
      ]);
    } else {
      const ids: string[] = [];
      const pool = spec.ids;
      for (let k = 0; k < spec.perCall; k++) ids.push(pool[(i * spec.perCall + k) % pool.length] as string);
      bodies.push(['DescribeJobs', { jobs: ids }]);
    }
  }
  const signed: Buffer[] = [];
  for (const [operation, input] of bodies) signed.push(await signer.batchCall(operation, input));
  return { warmup: signed.slice(0, request.warmup), measured: signed.slice(request.warmup) };
}

async function drive(
  request: LoadRequest,
  requests: Buffer[],
  record: boolean,
  connections: RawConnection[],
): Promise<Omit<LoadResult, 'signMs' | 'signUsPerRequest' | 'warmup'>> {
  const connectsBefore = connections.reduce((n, c) => n + c.connects, 0);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errorSamples: string[] = [];
  const jobIds: string[] = [];
  let next = 0;
  let ok = 0;
  let errors = 0;
  let timedOut = false;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + request.maxDurationMs;
  await Promise.all(
    connections.map(async (connection) => {
      for (;;) {
        if (performance.now() > deadline) {
          timedOut = next < requests.length;
          return;
        }
        const index = next++;
        const bytes = requests[index];
        if (!bytes) return;
        const t0 = performance.now();
        try {
          const response = await connection.send(bytes);
          const ms = performance.now() - t0;
          if (!record) continue;
          latencies.push(ms);
          statuses[String(response.status)] = (statuses[String(response.status)] ?? 0) + 1;
          if (response.status === 200) {
            ok++;
            if (request.collectJobIds) {
              const parsed = JSON.parse(response.body.toString('utf8')) as { jobId?: string };
              if (parsed.jobId) jobIds.push(parsed.jobId);
            }
          } else {
            errors++;
            if (errorSamples.length < 5) errorSamples.push(`${response.status} ${response.body.toString('utf8').slice(0, 300)}`);
          }
        } catch (error) {
          if (!record) continue;
          errors++;
          statuses.network = (statuses.network ?? 0) + 1;
          if (errorSamples.length < 5) errorSamples.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  const durationMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const connects = connections.reduce((n, c) => n + c.connects, 0) - connectsBefore;
  const completed = latencies.length;
  return {
    requested: requests.length,
    completed,
    ok,
    errors,
    statuses,
    errorSamples,
    durationMs,
    requestsPerSecond: completed / (durationMs / 1000),
    latenciesMs: latencies,
    connections: connections.length,
    connects,
    timedOut,
    jobIds,
    generatorCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const signStart = performance.now();
  const { warmup, measured } = await buildRequests(request);
  const signMs = performance.now() - signStart;
  // The connections are opened before the clock starts and kept from the warm-up to the measured
  // phase: opening 64 connections to a busy server took ~10 ms each (accepted one by one between
  // requests), which showed up as a ramp of slow first requests, not as request latency.
  const connections = Array.from({ length: Math.max(1, request.connections) }, () => new RawConnection(request.target.host, request.target.port));
  await Promise.all(connections.map((connection) => connection.connect()));
  if (warmup.length > 0) await drive(request, warmup, false, connections);
  await new Promise<void>((resolve) => process.send?.({ phase: 'start' }, () => resolve()) ?? resolve());
  const result = await drive(request, measured, true, connections);
  process.send?.({ phase: 'end' });
  for (const connection of connections) connection.close();
  return { ...result, signMs, signUsPerRequest: (signMs * 1000) / Math.max(1, warmup.length + measured.length), warmup: warmup.length };
}

process.on('message', (message: { request: LoadRequest }) => {
  run(message.request).then(
    (result) => process.send?.({ result }, () => process.disconnect()),
    (error: unknown) => process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.disconnect()),
  );
});
