/**
 * `npm run bench`: batchlink's benchmarks, side by side with moto. Builds the server, runs the
 * scenarios (api: SubmitJob + DescribeJobs via gateway / endpoint / moto; jobs: trivial jobs on
 * the local executor; scale: a 1M-job store; startup), checks the targets, profiles the server
 * where a target is missed, and writes bench/results.json and bench/RESULTS.md.
 *
 *   npm run bench                         full workload (heavy: run when the machine is quiet)
 *   npm run bench -- --preset tiny        a few hundred requests, to check it works
 *   npm run bench -- --scenarios api,startup --no-moto --runtime tsx --out /tmp/b
 *   npm run bench -- --render             re-write RESULTS.md from results.json (after editing ANALYSIS.md)
 *   npm run bench -- --repeats 5          repeat batchlink's API runs 5 times (default 3), report the median
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { FULL, TINY } from './lib/config.js';
import type { BenchConfig } from './lib/config.js';
import { createBatchEndpoint, createQueue } from './lib/fixtures.js';
import { runLoad } from './lib/load.js';
import { buildServer, ROOT } from './lib/peers.js';
import type { PeerProcess } from './lib/peers.js';
import { ApiProbe } from './lib/probe.js';
import { profileServer } from './lib/profile.js';
import type { ProfileSummary } from './lib/profile.js';
import { renderMarkdown } from './lib/report.js';
import { buildMeta, endLoad } from './lib/results.js';
import type { BenchResults } from './lib/results.js';
import { evaluateTargets } from './lib/targets.js';
import { runApiThroughput } from './scenarios/api-throughput.js';
import { runScale } from './scenarios/scale.js';
import { runStartup } from './scenarios/startup.js';
import { runTrivialJobs } from './scenarios/trivial-jobs.js';

export interface RunOptions {
  outDir: string;
  command: string;
  build: boolean;
  log?: (line: string) => void;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runBench(config: BenchConfig, options: RunOptions): Promise<BenchResults> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  let build = 'no build (runtime tsx)';
  if (config.runtime === 'dist') {
    if (options.build) {
      log('building the server (tsc)…');
      const built = buildServer();
      if (!built.ok) throw new Error(`the build produced no dist/src/cli/main.js (${built.note})`);
      build = built.note;
    } else {
      build = 'existing dist/ (--no-build)';
    }
  }
  const results: BenchResults = {
    meta: buildMeta(config, options.command, build),
    config,
    scenarios: {},
    errors: {},
    targets: [],
    profiles: [],
    profileErrors: [],
  };
  let scaleDataDir: string | undefined;
  try {
    for (const scenario of config.scenarios) {
      log(`scenario ${scenario}…`);
      try {
        if (scenario === 'api') results.scenarios.api = await runApiThroughput(config, log);
        if (scenario === 'jobs') results.scenarios.jobs = await runTrivialJobs(config, log);
        if (scenario === 'scale') {
          const scale = await runScale(config, log, { keepDataDir: config.profile });
          results.scenarios.scale = scale.result;
          scaleDataDir = scale.dataDir;
        }
        if (scenario === 'startup') results.scenarios.startup = await runStartup(config);
      } catch (error) {
        results.errors[scenario] = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`  scenario ${scenario} failed: ${errorText(error)}`);
      }
    }
    results.targets = evaluateTargets(results.scenarios);
    if (config.profile) {
      const missed = new Set(results.targets.filter((t) => t.verdict === 'missed' && t.profile).map((t) => t.profile as string));
      for (const label of missed) {
        log(`profiling: ${label}…`);
        try {
          const profile = await profileFor(label, config, results, scaleDataDir, join(options.outDir, 'out', `${label}.cpuprofile`));
          if (profile) results.profiles.push(profile);
        } catch (error) {
          results.profileErrors.push(`${label}: ${errorText(error)}`);
        }
      }
    }
  } finally {
    if (scaleDataDir) rmSync(scaleDataDir, { recursive: true, force: true });
  }
  results.meta.machine.loadAtEnd = endLoad();
  results.meta.durationS = Math.round((Date.now() - started) / 1000);
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  render(results, options.outDir);
  return results;
}

/** Writes RESULTS.md; bench/ANALYSIS.md (hand-written findings) is appended to full runs. */
function render(results: BenchResults, outDir: string): void {
  const analysisFile = join(ROOT, 'bench', 'ANALYSIS.md');
  const analysis = results.config.preset === 'full' && existsSync(analysisFile) ? readFileSync(analysisFile, 'utf8') : undefined;
  writeFileSync(join(outDir, 'RESULTS.md'), renderMarkdown(results, analysis));
}

/** Re-runs the workload behind a missed target with the server under --cpu-prof. */
async function profileFor(
  label: string,
  config: BenchConfig,
  results: BenchResults,
  scaleDataDir: string | undefined,
  saveTo: string,
): Promise<ProfileSummary | undefined> {
  const submitCount = Math.max(100, Math.floor(config.submitCount / 2));
  const queue = (server: PeerProcess, ceState: 'ENABLED' | 'DISABLED') =>
    createQueue(server.url, { name: 'bench-prof', ceState, vcpus: ceState === 'ENABLED' ? config.trivialVcpus : 4, command: ['true'] });
  const load = (target: { host: string; port: number }, fixture: { jobQueue: string; jobDefinition: string }, count: number) =>
    runLoad({
      target,
      spec: { kind: 'submit', jobQueue: fixture.jobQueue, jobDefinition: fixture.jobDefinition, namePrefix: 'prof' },
      count,
      warmup: 0,
      connections: config.connections,
      maxDurationMs: config.maxDurationMs,
      collectJobIds: true,
    });
  switch (label) {
    case 'submit': {
      const viaEndpoint = results.scenarios.api?.endpoint.ok === true;
      return profileServer(config.runtime, 'SubmitJob', `${submitCount} SubmitJob through ${viaEndpoint ? 'the endpoint (example policy)' : 'the gateway'}, ${config.connections} connections`, async (server) => {
        const fixture = await queue(server, 'DISABLED');
        let target = { host: server.host, port: server.port };
        if (viaEndpoint) {
          const endpoint = await createBatchEndpoint(server.url);
          if (endpoint.ok) target = { host: endpoint.host, port: endpoint.port };
        }
        await load(target, fixture, submitCount);
      }, undefined, saveTo);
    }
    case 'describe': {
      const count = Math.max(50, Math.floor(config.describeCount / 2));
      return profileServer(config.runtime, 'DescribeJobs', `2,000 SubmitJob to fill the store, then ${count} DescribeJobs(100 ids) through the gateway (the profile includes both)`, async (server) => {
        const fixture = await queue(server, 'DISABLED');
        const target = { host: server.host, port: server.port };
        const submitted = await load(target, fixture, 2000);
        await runLoad({ target, spec: { kind: 'describe', ids: submitted.jobIds, perCall: 100 }, count, warmup: 0, connections: config.connections, maxDurationMs: config.maxDurationMs });
      }, undefined, saveTo);
    }
    case 'jobs':
      return profileServer(config.runtime, 'Trivial jobs', `${config.trivialJobs} jobs running \`true\` submitted at once, until all are SUCCEEDED`, async (server) => {
        const fixture = await queue(server, 'ENABLED');
        const target = { host: server.host, port: server.port };
        const submitted = await load(target, fixture, config.trivialJobs);
        const probe = new ApiProbe(target);
        const deadline = Date.now() + 300_000;
        let pending = submitted.jobIds;
        while (pending.length > 0 && Date.now() < deadline) {
          const still: string[] = [];
          for (let i = 0; i < pending.length; i += 100) {
            const answer = await probe.ok<{ jobs: Array<{ jobId: string; status: string }> }>('DescribeJobs', { jobs: pending.slice(i, i + 100) });
            for (const job of answer.json.jobs) if (job.status !== 'SUCCEEDED' && job.status !== 'FAILED') still.push(job.jobId);
          }
          pending = still;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        probe.close();
      }, undefined, saveTo);
    case 'array':
      return profileServer(config.runtime, 'Array job', `${config.arrayRepeats} SubmitJob with arrayProperties.size ${config.arraySize}`, async (server) => {
        const fixture = await queue(server, 'DISABLED');
        const probe = new ApiProbe({ host: server.host, port: server.port });
        for (let i = 0; i < config.arrayRepeats; i++) {
          await probe.call('SubmitJob', { jobName: `array-${i}`, jobQueue: fixture.jobQueue, jobDefinition: fixture.jobDefinition, arrayProperties: { size: config.arraySize } });
        }
        probe.close();
      }, undefined, saveTo);
    case 'startup':
      return profileServer(config.runtime, 'Start-up (empty store)', 'process start, first API answer, stop', async (server) => {
        const probe = new ApiProbe({ host: server.host, port: server.port });
        await probe.ok('DescribeJobQueues', {});
        probe.close();
      }, undefined, saveTo);
    case 'scale': {
      if (!scaleDataDir) return undefined;
      return profileServer(
        config.runtime,
        `Start-up and queries on the ${config.scaleJobs.toLocaleString('en-US')}-job store`,
        `start-up, 100 ListJobs first pages, ${Math.min(5, config.pagingRuns)} × ${config.listPages} pages following nextToken, 100 DescribeJobs(100)`,
        async (server) => {
          const probe = new ApiProbe({ host: server.host, port: server.port });
          const input = { jobQueue: 'bench-scale', jobStatus: 'SUCCEEDED' };
          const ids: string[] = [];
          for (let i = 0; i < 100; i++) {
            const page = await probe.ok<{ jobSummaryList: Array<{ jobId: string }> }>('ListJobs', input);
            if (i === 0) ids.push(...page.json.jobSummaryList.map((j) => j.jobId));
          }
          for (let run = 0; run < Math.min(5, config.pagingRuns); run++) {
            let token: string | undefined;
            for (let page = 0; page < config.listPages; page++) {
              const answer = await probe.ok<{ nextToken?: string; jobSummaryList: Array<{ jobId: string }> }>('ListJobs', { ...input, ...(token ? { nextToken: token } : {}) });
              if (run === 0) ids.push(...answer.json.jobSummaryList.map((j) => j.jobId));
              token = answer.json.nextToken;
              if (!token) break;
            }
          }
          for (let i = 0; i < 100 && ids.length > 0; i++) {
            await probe.ok('DescribeJobs', { jobs: Array.from({ length: 100 }, (_, k) => ids[(i * 31 + k * 17) % ids.length] as string) });
          }
          probe.close();
        },
        scaleDataDir,
        saveTo,
      );
    }
    default:
      return undefined;
  }
}

function parseCli(argv: string[]): { config: BenchConfig; options: RunOptions; renderOnly: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      preset: { type: 'string', default: 'full' },
      scenarios: { type: 'string' },
      runtime: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'no-moto': { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
      out: { type: 'string' },
      submit: { type: 'string' },
      describe: { type: 'string' },
      jobs: { type: 'string' },
      'scale-jobs': { type: 'string' },
      connections: { type: 'string' },
      repeats: { type: 'string' },
    },
  });
  const base = values.preset === 'tiny' ? TINY : FULL;
  const config: BenchConfig = { ...base };
  const num = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  if (values.scenarios) config.scenarios = values.scenarios.split(',').map((s) => s.trim()) as BenchConfig['scenarios'];
  if (values.runtime === 'dist' || values.runtime === 'tsx') config.runtime = values.runtime;
  if (values['no-moto']) config.moto = false;
  if (values['no-profile']) config.profile = false;
  if (values.profile) config.profile = true;
  const overrides: Array<[keyof BenchConfig, number | undefined]> = [
    ['submitCount', num(values.submit)],
    ['describeCount', num(values.describe)],
    ['trivialJobs', num(values.jobs)],
    ['scaleJobs', num(values['scale-jobs'])],
    ['connections', num(values.connections)],
    ['apiRepeats', num(values.repeats)],
  ];
  for (const [key, value] of overrides) {
    if (value !== undefined) {
      (config as unknown as Record<string, unknown>)[key] = value;
      config.preset = 'custom';
    }
  }
  if (values.scenarios || values.runtime || values['no-moto']) config.preset = config.preset === 'full' ? 'custom' : config.preset;
  const outDir = values.out ?? join(ROOT, 'bench');
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  return { config, options: { outDir, command, build: !values['no-build'] }, renderOnly: values.render === true };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { config, options, renderOnly } = parseCli(process.argv.slice(2));
  if (renderOnly) {
    render(JSON.parse(readFileSync(join(options.outDir, 'results.json'), 'utf8')) as BenchResults, options.outDir);
    process.stdout.write(`re-wrote ${join(options.outDir, 'RESULTS.md')} from results.json\n`);
    process.exit(0);
  }
  runBench(config, options).then(
    (results) => {
      process.stdout.write(`\nwrote ${join(options.outDir, 'results.json')} and RESULTS.md\n`);
      for (const t of results.targets) process.stdout.write(`  ${t.verdict.padEnd(8)} ${t.target}: ${t.measured}\n`);
      const failed = Object.keys(results.errors);
      if (failed.length) process.stdout.write(`scenarios that failed: ${failed.join(', ')}\n`);
      process.exit(failed.length ? 1 : 0);
    },
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
