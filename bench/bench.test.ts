/**
 * A tiny run of every benchmark scenario (200 SubmitJob, 20 trivial jobs, a 2,000-job store,
 * moto only when python3 can import it), checking that the results are well-formed. No timing
 * is asserted: the machine is shared, and the figures belong in bench/RESULTS.md.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TINY } from './lib/config.js';
import { motoAvailable } from './lib/peers.js';
import type { BenchResults } from './lib/results.js';
import { runBench } from './run.js';
import { medianRun } from './scenarios/api-throughput.js';
import type { ThroughputRun } from './scenarios/api-throughput.js';

const hasMoto = motoAvailable();

function assertRan(run: ThroughputRun | undefined, requested: number): void {
  assert.ok(run, 'the run is reported');
  assert.equal(run.ran, true, run.why);
  assert.equal(run.requested, requested);
  assert.equal(run.completed, requested);
  assert.equal(run.errors, 0, run.errorSamples?.join('\n'));
  assert.ok((run.requestsPerSecond ?? 0) > 0);
  assert.equal(run.latencyMs?.count, requested);
  assert.ok((run.latencyMs?.p50 ?? -1) >= 0 && (run.latencyMs?.p99 ?? -1) >= (run.latencyMs?.p50 ?? 0));
}

describe('bench (tiny run of every scenario)', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'batchlink-bench-test-'));
  let results: BenchResults;

  before(async () => {
    results = await runBench({ ...TINY, moto: hasMoto }, { outDir, command: 'bench.test.ts', build: false, log: () => {} });
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes results.json and RESULTS.md with every scenario and no scenario error', () => {
    assert.deepEqual(results.errors, {});
    const json = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as BenchResults;
    assert.deepEqual(Object.keys(json.scenarios).sort(), ['api', 'jobs', 'scale', 'startup']);
    assert.ok(existsSync(join(outDir, 'RESULTS.md')));
    const markdown = readFileSync(join(outDir, 'RESULTS.md'), 'utf8');
    for (const heading of ['## Run', '## Targets', '## 1. SubmitJob throughput', '## 2. DescribeJobs', '## 3. Trivial jobs', '## 4. Scale', '## 5. Start-up']) {
      assert.ok(markdown.includes(heading), `RESULTS.md has "${heading}"`);
    }
    assert.match(markdown, /Command: `bench\.test\.ts`/);
    assert.ok(json.meta.machine.cpus > 0 && json.meta.date.length > 0);
  });

  it('SubmitJob and DescribeJobs ran through the gateway and through an endpoint whose example policy is in force', () => {
    const api = results.scenarios.api;
    assert.ok(api);
    assertRan(api.submitJob.find((r) => r.peer === 'batchlink-gateway'), TINY.submitCount);
    assertRan(api.describeJobs.find((r) => r.peer === 'batchlink-gateway'), TINY.describeCount);
    assert.equal(api.endpoint.ok, true, api.endpoint.ok ? '' : api.endpoint.why);
    if (api.endpoint.ok) assert.equal(api.endpoint.policyEnforced, true, api.endpoint.policyProbe);
    assertRan(api.submitJob.find((r) => r.peer === 'batchlink-endpoint'), TINY.submitCount);
    assertRan(api.describeJobs.find((r) => r.peer === 'batchlink-endpoint'), TINY.describeCount);
  });

  it('moto is measured when python3 can import it, and reported as not run otherwise', () => {
    const api = results.scenarios.api;
    assert.ok(api);
    const moto = api.submitJob.find((r) => r.peer === 'moto');
    if (hasMoto) {
      assertRan(moto, TINY.motoSubmitCount);
      assert.equal(typeof api.ratios.submitJob['gateway/moto'], 'number');
    } else {
      assert.equal(moto?.ran, false);
      assert.match(moto?.why ?? '', /^not run: /);
    }
  });

  it('trivial jobs all reach SUCCEEDED with their state timestamps', () => {
    const jobs = results.scenarios.jobs;
    assert.ok(jobs);
    assert.equal(jobs.succeeded, TINY.trivialJobs, jobs.failureSamples.join('\n'));
    assert.equal(jobs.submittedToRunningMs.count, TINY.trivialJobs);
    assert.equal(jobs.submitToSucceededMs.count, TINY.trivialJobs);
    assert.equal(jobs.idle.submittedToRunningMs.count, TINY.idleJobs);
    assert.ok(jobs.jobsPerSecond > 0);
  });

  it('the scale scenario seeds the store, pages through ListJobs and submits the array job', () => {
    const scale = results.scenarios.scale;
    assert.ok(scale);
    assert.equal(scale.seeding.rows, TINY.scaleJobs);
    assert.equal(scale.listJobsFirstPageMs.count, TINY.latencyProbes);
    assert.equal(scale.pagesFollowed, TINY.listPages);
    assert.equal(scale.listJobsPageSize, 100);
    assert.equal(scale.describeJobs100Ms.count, TINY.latencyProbes);
    assert.ok(scale.databaseMiB.total > 0);
    assert.ok((scale.serverRssMiB.afterQueries ?? 0) > 0);
    assert.equal(scale.startupMs.length, TINY.startupRepeats);
    assert.ok(scale.arrayJob.ran || /^not run: /.test(scale.arrayJob.why ?? ''), scale.arrayJob.why);
  });

  it('start-up is measured on a fresh and on an existing empty store', () => {
    const startup = results.scenarios.startup;
    assert.ok(startup);
    assert.equal(startup.freshMs.length, TINY.startupRepeats);
    assert.equal(startup.restartMs.length, TINY.startupRepeats);
    assert.ok(startup.freshMs.every((ms) => ms > 0));
  });

  it('every target has a verdict', () => {
    assert.ok(results.targets.length >= 10);
    for (const target of results.targets) assert.ok(['met', 'missed', 'not run'].includes(target.verdict), target.id);
  });
});

describe('medianRun', () => {
  it('reports the median run by requests per second, with every run listed', () => {
    const run = (rps: number, p99: number): ThroughputRun => ({ peer: 'batchlink-endpoint', ran: true, requestsPerSecond: rps, latencyMs: { count: 1, p50: 1, p90: 1, p99, max: p99, mean: 1 }, serverCpuUsPerRequest: 200 });
    const median = medianRun([run(5000, 20), run(3000, 40), run(6000, 15)]);
    assert.equal(median.requestsPerSecond, 5000);
    assert.equal(median.latencyMs?.p99, 20);
    assert.deepEqual(median.repeats?.requestsPerSecond, [5000, 3000, 6000]);
    assert.equal(medianRun([run(4000, 30)]).repeats, undefined);
    assert.equal(medianRun([run(4000, 30), run(2000, 50)]).requestsPerSecond, 2000, 'the lower of the middle two');
  });
});
