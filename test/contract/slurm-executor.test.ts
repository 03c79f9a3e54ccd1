/**
 * The executor contract for the Slurm executor, against a real cluster: set
 * BATCHLINK_SLURM_CONF to its slurm.conf (scripts/slurm-cluster.sh start DIR, or .ci/slurm.sh).
 * Without sbatch or a reachable cluster the suite is skipped with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SlurmExecutor } from '../../src/executors/slurm/slurm-executor.js';
import { runExecutorContract } from './executor-contract.js';

function unavailable(): string | undefined {
  const conf = process.env['BATCHLINK_SLURM_CONF'];
  if (!conf)
    return 'BATCHLINK_SLURM_CONF is not set (start a cluster with scripts/slurm-cluster.sh start DIR and point it at DIR/slurm.conf)';
  if (!existsSync(conf)) return `BATCHLINK_SLURM_CONF=${conf} does not exist`;
  const env = { PATH: process.env['PATH'], SLURM_CONF: conf };
  try {
    execFileSync('sbatch', ['--version'], { env, stdio: 'ignore' });
  } catch {
    return 'sbatch is not installed (scripts/slurm-cluster.sh install)';
  }
  try {
    execFileSync('sinfo', ['-h', '-o', '%T'], { env, stdio: 'pipe', timeout: 10_000 });
  } catch (error) {
    return `the cluster of ${conf} does not answer sinfo: ${(error as Error).message.split('\n')[0]}`;
  }
  return undefined;
}

const reason = unavailable();
if (reason) {
  test(`executor contract: slurm (skipped: ${reason})`, { skip: reason }, () => {});
} else {
  const slurmConf = process.env['BATCHLINK_SLURM_CONF'] as string;
  runExecutorContract(
    'slurm',
    ({ dir, killGraceMs }) => new SlurmExecutor({ slurmConf, stateDir: join(dir, 'slurm'), killGraceMs, pollIntervalMs: 200 }),
    { restart: 'reattaches', eventDeadlineMs: 20_000 },
  );
}

if (!reason) {
  const slurmConf = process.env['BATCHLINK_SLURM_CONF'] as string;
  test('slurm: an attempt whose Slurm job vanished is reported lost with the reason', { timeout: 60_000 }, async () => {
    const { mkdtempSync, rmSync, writeFileSync: write } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { EventRecorder } = await import('./executor-contract.js');
    const dir = mkdtempSync(join(tmpdir(), 'bl-slurm-lost-'));
    try {
      write(
        join(dir, 'slurm-attempts.json'),
        JSON.stringify({
          version: 1,
          attempts: [
            {
              jobId: 'vanished',
              attempt: 2,
              slurmJobId: '99999999',
              slurmJobName: 'batchlink-vanished-2',
              dir: join(dir, 'attempts', 'vanished-2'),
              startedReported: true,
              stdoutOffset: 0,
              stderrOffset: 0,
            },
          ],
        }),
      );
      const executor = new SlurmExecutor({ slurmConf, stateDir: dir, pollIntervalMs: 200 });
      assert.deepEqual(executor.running(), [{ jobId: 'vanished', attempt: 2 }]);
      const events = new EventRecorder();
      executor.attach(events);
      await executor.reconcile();
      const exit = await events.exited$('vanished', 10_000);
      assert.equal(exit.cause, 'lost');
      assert.match(exit.reason ?? '', /Slurm job 99999999 is no longer known to the cluster/);
      assert.deepEqual(executor.running(), []);
      await executor.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('slurm: an attempt persisted while sbatch was running is found by its job name after a restart', { timeout: 60_000 }, async () => {
    const { mkdtempSync, mkdirSync, rmSync, writeFileSync: write } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { EventRecorder } = await import('./executor-contract.js');
    const dir = mkdtempSync(join(tmpdir(), 'bl-slurm-adopt-'));
    try {
      const attemptDir = join(dir, 'attempts', 'adopt-1');
      mkdirSync(attemptDir, { recursive: true });
      const name = `batchlink-adopt-${process.pid}-${Date.now()}-1`;
      // the job sbatch submitted just before "the crash": its id never reached the state file
      execFileSync(
        'sbatch',
        ['--parsable', `--job-name=${name}`, `--output=${join(attemptDir, 'stdout.log')}`, '--wrap', 'echo adopted; exit 4'],
        {
          env: { PATH: process.env['PATH'], SLURM_CONF: slurmConf },
        },
      );
      write(
        join(dir, 'slurm-attempts.json'),
        JSON.stringify({
          version: 1,
          attempts: [
            { jobId: 'adopt', attempt: 1, slurmJobName: name, dir: attemptDir, startedReported: false, stdoutOffset: 0, stderrOffset: 0 },
          ],
        }),
      );
      const executor = new SlurmExecutor({ slurmConf, stateDir: dir, pollIntervalMs: 200 });
      const events = new EventRecorder();
      executor.attach(events);
      const exit = await events.exited$('adopt', 20_000);
      assert.equal(exit.exitCode, 4);
      assert.deepEqual(events.lines('adopt'), ['adopted']);
      await executor.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('slurm: freeCpus and the availableVcpus hint report idle CPUs, minus attempts not yet running', { timeout: 30_000 }, async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bl-slurm-cpus-'));
    const executor = new SlurmExecutor({ slurmConf, stateDir: dir, pollIntervalMs: 200 });
    try {
      const free = await executor.freeCpus();
      assert.ok(Number.isInteger(free) && free >= 0, `free CPUs ${free}`);
      const deadline = Date.now() + 10_000;
      let hint = executor.availableVcpus();
      while (hint === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        hint = executor.availableVcpus();
      }
      assert.ok(hint !== undefined && hint >= 0);
      // an attempt Slurm has not started yet holds its 2 CPUs (1.5 rounded up) of the hint
      executor.start({
        jobId: 'cpu-hint',
        attempt: 1,
        command: ['true'],
        environment: {},
        image: '',
        vcpus: 1.5,
        memory: 0,
        logGroupName: '',
        logStreamName: '',
        settings: {},
      });
      assert.equal(executor.availableVcpus(), Math.max(0, hint - 2));
      executor.terminate('cpu-hint', 1, 'test over');
    } finally {
      await executor.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
