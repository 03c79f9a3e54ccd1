/**
 * The executor contract for the local executor (host processes, children of the server) with
 * each of its spawners (posix_spawn through python3, and Node's child_process), and its own
 * per-attempt working directories.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import { LocalExecutor } from '../../src/executors/local/local-executor.js';
import { defaultSpawnerKind } from '../../src/executors/local/spawners.js';
import type { SpawnerKind } from '../../src/executors/local/spawners.js';
import { EventRecorder, runExecutorContract } from './executor-contract.js';

test('the posix spawner is the default where python3 runs (CI installs it with the AWS CLI)', () => {
  assert.equal(defaultSpawnerKind(), 'posix');
});

for (const spawner of ['posix', 'node'] as SpawnerKind[]) {
  runExecutorContract(
    `local (${spawner} spawner)`,
    ({ dir, killGraceMs }) =>
      new LocalExecutor({ workRoot: join(dir, 'work'), clock: systemClock, killGraceMs, logger: { warn() {} }, spawner }),
    { restart: 'forgets', eventDeadlineMs: 10_000 },
  );

  workDirTest(spawner);
  spawnerDetailsTest(spawner);
  spawnerDeathTest(spawner);
}

/** A spawner killed under running jobs: they end lost, and the next start brings a new spawner up. */
function spawnerDeathTest(spawner: SpawnerKind): void {
  test(`local (${spawner} spawner): when the spawner dies its attempts end lost, and the next job runs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchlink-local-'));
    const executor = new LocalExecutor({ workRoot: join(dir, 'work'), clock: systemClock, killGraceMs: 1000, logger: { warn() {} }, spawner });
    const events = new EventRecorder();
    executor.attach(events);
    const base = { attempt: 1, environment: {}, image: 'busybox', vcpus: 1, memory: 64, logGroupName: '/aws/batch/job' };
    try {
      executor.start({ ...base, jobId: 'victim', command: ['sleep', '30'], logStreamName: 'd/default/victim' });
      const started = await events.started$('victim', 10_000);
      const jobPid = Number(started.kind === 'started' ? started.info.taskId : NaN);
      // The job's parent is the spawner: field 4 of /proc/<pid>/stat, after the ')' of the name.
      const spawnerPid = Number(readFileSync(`/proc/${jobPid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      assert.ok(spawnerPid > 1);
      process.kill(spawnerPid, 'SIGKILL');
      const lost = await events.exited$('victim', 10_000);
      assert.equal(lost.cause, 'lost');
      assert.match(lost.reason ?? '', /spawner process exited/);
      try {
        process.kill(-jobPid, 'SIGKILL'); // the orphaned job, so the test leaves nothing behind
      } catch {
        // already gone
      }
      executor.start({ ...base, jobId: 'after', command: ['/bin/sh', '-c', 'echo again'], logStreamName: 'd/default/after' });
      assert.equal((await events.exited$('after', 10_000)).exitCode, 0);
      assert.deepEqual(events.lines('after'), ['again']);
    } finally {
      await executor.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * What each spawner must get right on its own: stdin is /dev/null, a death by signal is reported
 * as that signal, output split across many pipe reads (multi-byte characters included) arrives
 * whole and in order, and the program is looked up in the job's own PATH.
 */
function spawnerDetailsTest(spawner: SpawnerKind): void {
  test(`local (${spawner} spawner): stdin, signals, long multi-byte output and the job's PATH`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchlink-local-'));
    const executor = new LocalExecutor({ workRoot: join(dir, 'work'), clock: systemClock, killGraceMs: 1000, logger: { warn() {} }, spawner });
    const events = new EventRecorder();
    executor.attach(events);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'batchlink-own-tool'), '#!/bin/sh\necho "own tool $1"\n', { mode: 0o755 });
    const base = { attempt: 1, environment: {}, image: 'busybox', vcpus: 1, memory: 64, logGroupName: '/aws/batch/job' };
    const start = (jobId: string, command: string[], environment: Record<string, string> = {}) =>
      executor.start({ ...base, jobId, command, environment, logStreamName: `d/default/${jobId}` });
    try {
      start('stdin', ['/bin/sh', '-c', 'cat; echo after-cat']);
      start('signal', ['/bin/sh', '-c', 'kill -KILL $$']);
      start('long', ['/bin/sh', '-c', 'i=0; while [ $i -lt 3000 ]; do printf "ünïcödé line %s ✓\\n" $i; i=$((i+1)); done']);
      start('path', ['batchlink-own-tool', 'found'], { PATH: `${bin}:/usr/bin:/bin` });
      const stdin = await events.exited$('stdin', 10_000);
      assert.equal(stdin.exitCode, 0);
      assert.deepEqual(events.lines('stdin'), ['after-cat']);
      const signal = await events.exited$('signal', 10_000);
      assert.equal(signal.signal, 'SIGKILL');
      assert.equal(signal.exitCode, undefined);
      assert.equal((await events.exited$('long', 10_000)).exitCode, 0);
      assert.deepEqual(events.lines('long'), Array.from({ length: 3000 }, (_, i) => `ünïcödé line ${i} ✓`));
      assert.equal((await events.exited$('path', 10_000)).exitCode, 0);
      assert.deepEqual(events.lines('path'), ['own tool found']);
    } finally {
      await executor.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

function workDirTest(spawner: SpawnerKind): void {
  test(`local (${spawner} spawner): each attempt runs in its own directory under the work root, removed when it ends (a file the job left too)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchlink-local-'));
    const workRoot = join(dir, 'work');
    const executor = new LocalExecutor({ workRoot, clock: systemClock, killGraceMs: 1000, logger: { warn() {} }, spawner });
    const events = new EventRecorder();
    executor.attach(events);
    try {
      const jobs = ['work-a', 'work-b'];
      jobs.forEach((jobId, i) =>
        executor.start({
          jobId,
          attempt: 1,
          command: ['/bin/sh', '-c', i === 0 ? 'pwd' : 'pwd; echo left > file.txt'],
          environment: {},
          image: 'busybox',
          vcpus: 1,
          memory: 64,
          logGroupName: '/aws/batch/job',
          logStreamName: `d/default/${jobId}`,
        }),
      );
      for (const jobId of jobs) {
        assert.equal((await events.exited$(jobId, 10_000)).exitCode, 0);
        assert.deepEqual(events.lines(jobId), [join(workRoot, `${jobId}.1`)]);
      }
      const deadline = Date.now() + 10_000;
      while (readdirSync(workRoot).length > 0) {
        if (Date.now() > deadline) assert.fail(`left behind: ${readdirSync(workRoot).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await executor.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
