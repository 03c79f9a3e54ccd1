/**
 * The executor contract for the local executor (host processes, children of the server) with
 * each of its spawners (posix_spawn through python3, and Node's child_process), and its own
 * per-attempt working directories.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
