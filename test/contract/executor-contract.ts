/**
 * The one executor contract suite. `runExecutorContract(name, makeExecutor, capabilities)`
 * registers node:test tests that every Executor must pass; where executors differ on purpose
 * (what survives a server restart) the capabilities object says which behaviour to expect.
 * Nothing here sleeps for a fixed time: every wait is an event or a file with a deadline.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionSpec, Executor, ExecutorEvents, ExitResult, OutputLine } from '../../src/batch/executor.js';

export interface ExecutorCapabilities {
  /**
   * What a new executor instance (a restarted server) knows about attempts started by the
   * previous one:
   * - 'reattaches': it lists them in running() and reports how they really end, including
   *   attempts that finished while no server watched (e.g. Slurm jobs outlive the server);
   * - 'forgets': it does not list them (their processes ended with the old instance), so the
   *   scheduler reports them as lost (the local executor: jobs are children of the server).
   */
  restart: 'reattaches' | 'forgets';
  /** Upper bound for one attempt to start and report back (queueing + polling), ms. */
  eventDeadlineMs: number;
}

export type AttachableExecutor = Executor & { attach(events: ExecutorEvents): void };

export interface MakeExecutorOptions {
  /** A directory owned by this executor instance; the same dir for a "restarted" instance. */
  dir: string;
  killGraceMs: number;
}

export type MakeExecutor = (options: MakeExecutorOptions) => AttachableExecutor;

type Recorded =
  | { kind: 'started'; jobId: string; attempt: number; info: { hostId: string; taskId?: string } }
  | { kind: 'output'; jobId: string; attempt: number; lines: OutputLine[] }
  | { kind: 'exited'; jobId: string; attempt: number; result: ExitResult; at: number };

/** Records executor events and lets a test wait for one with a deadline. */
export class EventRecorder implements ExecutorEvents {
  readonly events: Recorded[] = [];
  private waiters: Array<() => void> = [];

  started(jobId: string, attempt: number, info: { hostId: string; taskId?: string }): void {
    this.push({ kind: 'started', jobId, attempt, info });
  }
  output(jobId: string, attempt: number, lines: OutputLine[]): void {
    this.push({ kind: 'output', jobId, attempt, lines });
  }
  exited(jobId: string, attempt: number, result: ExitResult): void {
    this.push({ kind: 'exited', jobId, attempt, result, at: Date.now() });
  }

  private push(event: Recorded): void {
    this.events.push(event);
    for (const wake of this.waiters.splice(0)) wake();
  }

  lines(jobId: string): string[] {
    return this.events.flatMap((e) => (e.kind === 'output' && e.jobId === jobId ? e.lines.map((l) => l.message) : []));
  }

  async waitFor<T>(what: string, probe: () => T | undefined, deadlineMs: number): Promise<T> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const found = probe();
      if (found !== undefined) return found;
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}; events: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  started$(jobId: string, deadlineMs: number) {
    return this.waitFor(`started(${jobId})`, () => this.events.find((e) => e.kind === 'started' && e.jobId === jobId), deadlineMs);
  }
  async exited$(jobId: string, deadlineMs: number): Promise<ExitResult & { at: number }> {
    const e = await this.waitFor(`exited(${jobId})`, () => this.events.find((x) => x.kind === 'exited' && x.jobId === jobId), deadlineMs);
    return e.kind === 'exited' ? { ...e.result, at: e.at } : assert.fail('not an exit');
  }
  line$(jobId: string, line: string, deadlineMs: number) {
    return this.waitFor(
      `output line ${JSON.stringify(line)} of ${jobId}`,
      () => (this.lines(jobId).includes(line) ? true : undefined),
      deadlineMs,
    );
  }
}

async function waitForFile(path: string, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!existsSync(path)) {
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let seq = 0;
function spec(command: string[], extra: Partial<ExecutionSpec> = {}): ExecutionSpec {
  const jobId = `contract-${process.pid}-${Date.now().toString(36)}-${++seq}`;
  return {
    jobId,
    attempt: 1,
    command,
    environment: { AWS_BATCH_JOB_ID: jobId, AWS_BATCH_JOB_ATTEMPT: '1' },
    image: 'public.ecr.aws/docker/library/busybox:latest',
    vcpus: 1,
    memory: 128,
    logGroupName: '/aws/batch/job',
    logStreamName: `contract/default/${jobId}`,
    ...extra,
  };
}

/** A job that waits until `file` exists, then runs `then` (shell text, fixed by the test). */
function waitingJob(file: string, then = 'exit 0'): string[] {
  return ['/bin/sh', '-c', `while [ ! -e "$1" ]; do sleep 0.05; done; ${then}`, 'contract', file];
}

export function runExecutorContract(name: string, makeExecutor: MakeExecutor, capabilities: ExecutorCapabilities): void {
  const deadline = capabilities.eventDeadlineMs;
  const killGraceMs = 1000;
  const testTimeout = deadline * 4 + 30_000;

  describe(`executor contract: ${name}`, () => {
    let root: string;
    let executor: AttachableExecutor;
    let events: EventRecorder;
    const opened: Executor[] = [];
    const savedSecret = process.env['AWS_SECRET_ACCESS_KEY'];

    const fresh = (dir: string): { executor: AttachableExecutor; events: EventRecorder } => {
      const ex = makeExecutor({ dir, killGraceMs });
      const rec = new EventRecorder();
      ex.attach(rec);
      opened.push(ex);
      return { executor: ex, events: rec };
    };

    before(() => {
      // a server secret: present in the server's environment, never in a job's
      process.env['AWS_SECRET_ACCESS_KEY'] = 'contract-server-secret';
      root = mkdtempSync(join(tmpdir(), `bl-contract-${name}-`));
      ({ executor, events } = fresh(join(root, 'executor')));
    });

    after(async () => {
      for (const ex of opened) await ex.close();
      if (savedSecret === undefined) delete process.env['AWS_SECRET_ACCESS_KEY'];
      else process.env['AWS_SECRET_ACCESS_KEY'] = savedSecret;
      rmSync(root, { recursive: true, force: true });
    });

    test(`${name}: reports started, lists the attempt in running() until it exits`, { timeout: testTimeout }, async () => {
      const release = join(root, 'release-running');
      const s = spec(waitingJob(release));
      executor.start(s);
      const started = await events.started$(s.jobId, deadline);
      assert.equal(started.kind === 'started' && typeof started.info.hostId, 'string');
      assert.deepEqual(
        executor.running().filter((r) => r.jobId === s.jobId),
        [{ jobId: s.jobId, attempt: 1 }],
      );
      assert.equal(
        events.events.some((e) => e.kind === 'exited' && e.jobId === s.jobId),
        false,
      );
      writeFileSync(release, '');
      const exit = await events.exited$(s.jobId, deadline);
      assert.equal(exit.exitCode, 0);
      assert.equal(exit.cause, undefined);
      assert.equal(
        executor.running().some((r) => r.jobId === s.jobId),
        false,
      );
    });

    test(`${name}: reports exit code 0 and non-zero exit codes`, { timeout: testTimeout }, async () => {
      const ok = spec(['/bin/sh', '-c', 'exit 0']);
      const three = spec(['/bin/sh', '-c', 'exit 3']);
      executor.start(ok);
      executor.start(three);
      const [a, b] = await Promise.all([events.exited$(ok.jobId, deadline), events.exited$(three.jobId, deadline)]);
      assert.equal(a.exitCode, 0);
      assert.equal(b.exitCode, 3);
      assert.equal(b.cause, undefined, 'a job failing on its own has no executor cause');
      const order = events.events.filter((e) => e.jobId === three.jobId).map((e) => e.kind);
      assert.deepEqual([order[0], order.at(-1)], ['started', 'exited']);
    });

    test(`${name}: the job sees its environment and none of the server's (AWS_SECRET_ACCESS_KEY)`, { timeout: testTimeout }, async () => {
      const s = spec(['/bin/sh', '-c', 'printf "%s|%s|%s\\n" "$GREETING" "${AWS_SECRET_ACCESS_KEY-unset}" "$AWS_BATCH_JOB_ID"']);
      s.environment['GREETING'] = "hello 'world' $HOME";
      executor.start(s);
      const exit = await events.exited$(s.jobId, deadline);
      assert.equal(exit.exitCode, 0);
      assert.deepEqual(events.lines(s.jobId), [`hello 'world' $HOME|unset|${s.jobId}`]);
    });

    test(`${name}: passes argv without a shell ($(echo pwned) arrives literally)`, { timeout: testTimeout }, async () => {
      const words = ['$(echo pwned)', '`id`', "it's", '; echo also', '*', 'two  spaces', '"quoted"'];
      const s = spec(['printf', '%s\\n', ...words]);
      executor.start(s);
      assert.equal((await events.exited$(s.jobId, deadline)).exitCode, 0);
      assert.deepEqual(events.lines(s.jobId), words);
    });

    test(`${name}: captures stdout and stderr lines in order per stream`, { timeout: testTimeout }, async () => {
      const s = spec(['/bin/sh', '-c', 'echo out-1; echo err-1 >&2; echo out-2; printf "no-newline"']);
      executor.start(s);
      assert.equal((await events.exited$(s.jobId, deadline)).exitCode, 0);
      const lines = events.lines(s.jobId);
      assert.deepEqual(
        lines.filter((l) => l.startsWith('out-') || l === 'no-newline'),
        ['out-1', 'out-2', 'no-newline'],
      );
      assert.deepEqual(
        lines.filter((l) => l.startsWith('err-')),
        ['err-1'],
      );
      const outputs = events.events.filter((e) => e.kind === 'output' && e.jobId === s.jobId);
      for (const o of outputs) if (o.kind === 'output') for (const l of o.lines) assert.equal(typeof l.timestamp, 'number');
    });

    test(`${name}: reports a missing program as launchFailed`, { timeout: testTimeout }, async () => {
      const s = spec(['batchlink-contract-no-such-program', 'x']);
      executor.start(s);
      const exit = await events.exited$(s.jobId, deadline);
      assert.equal(exit.cause, 'launchFailed');
      assert.match(exit.reason ?? '', /batchlink-contract-no-such-program/);
      assert.equal(
        executor.running().some((r) => r.jobId === s.jobId),
        false,
      );
    });

    test(`${name}: terminate sends SIGTERM and a job that handles it exits with its own code`, { timeout: testTimeout }, async () => {
      const s = spec(['/bin/sh', '-c', 'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.1; done']);
      executor.start(s);
      await events.line$(s.jobId, 'ready', deadline);
      executor.terminate(s.jobId, 1, 'Terminated by the contract test');
      const exit = await events.exited$(s.jobId, deadline);
      assert.equal(exit.exitCode, 42);
      assert.equal(exit.cause, 'terminated');
      assert.equal(exit.reason, 'Terminated by the contract test');
      assert.ok(events.lines(s.jobId).includes('got-term'));
    });

    test(`${name}: terminate kills a job ignoring SIGTERM after the grace period`, { timeout: testTimeout }, async () => {
      const s = spec(['/bin/sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done']);
      executor.start(s);
      await events.line$(s.jobId, 'ready', deadline);
      const asked = Date.now();
      executor.terminate(s.jobId, 1, 'Terminated by the contract test');
      const exit = await events.exited$(s.jobId, deadline + killGraceMs);
      assert.equal(exit.signal, 'SIGKILL');
      assert.equal(exit.exitCode, undefined);
      assert.equal(exit.cause, 'terminated');
      assert.ok(exit.at - asked >= killGraceMs - 50, `killed after ${exit.at - asked} ms, before the ${killGraceMs} ms grace`);
    });

    test(`${name}: ends an attempt that outlives timeoutSeconds with cause timeout`, { timeout: testTimeout }, async () => {
      const s = spec(['sleep', '60'], { timeoutSeconds: 1 });
      executor.start(s);
      await events.started$(s.jobId, deadline);
      const startedAt = Date.now();
      const exit = await events.exited$(s.jobId, deadline + killGraceMs);
      assert.equal(exit.cause, 'timeout');
      assert.equal(exit.reason, 'Job attempt duration exceeded timeout');
      assert.notEqual(exit.exitCode, 0);
      assert.ok(exit.at - startedAt < 1000 + deadline, 'the timeout fired long after it was due');
    });

    test(`${name}: terminate of an unknown attempt is a no-op`, { timeout: testTimeout }, () => {
      executor.terminate('contract-no-such-job', 1, 'nothing');
      assert.equal(
        executor.running().some((r) => r.jobId === 'contract-no-such-job'),
        false,
      );
    });

    if (capabilities.restart === 'reattaches') {
      test(
        `${name}: a restarted executor re-attaches to running attempts and learns how finished ones ended`,
        { timeout: testTimeout },
        async () => {
          const dir = join(root, 'restart');
          const first = fresh(dir);
          const releaseLong = join(root, 'release-long');
          const releaseShort = join(root, 'release-short');
          const shortDone = join(root, 'short-done');
          const long = spec(waitingJob(releaseLong, 'echo after-restart; exit 7'));
          const short = spec(waitingJob(releaseShort, `touch "${shortDone}"; exit 5`));
          first.executor.start(long);
          first.executor.start(short);
          await Promise.all([first.events.started$(long.jobId, deadline), first.events.started$(short.jobId, deadline)]);
          await first.executor.close();

          writeFileSync(releaseShort, ''); // finishes while no executor watches
          await waitForFile(shortDone, deadline);
          const second = fresh(dir);
          const listed = second.executor.running().map((r) => r.jobId);
          assert.ok(listed.includes(long.jobId) && listed.includes(short.jobId), `running() after restart: ${JSON.stringify(listed)}`);
          const shortExit = await second.events.exited$(short.jobId, deadline);
          assert.equal(shortExit.exitCode, 5);
          assert.deepEqual(
            second.executor.running().map((r) => r.jobId),
            [long.jobId],
          );

          writeFileSync(releaseLong, '');
          const longExit = await second.events.exited$(long.jobId, deadline);
          assert.equal(longExit.exitCode, 7);
          assert.ok(second.events.lines(long.jobId).includes('after-restart'));
          assert.equal(
            first.events.events.some((e) => e.kind === 'exited'),
            false,
            'the closed executor reported nothing',
          );
        },
      );
    } else {
      test(
        `${name}: a restarted executor does not list the old attempts, so the scheduler reports them lost`,
        { timeout: testTimeout },
        async () => {
          const dir = join(root, 'restart');
          const first = fresh(dir);
          const release = join(root, 'release-forgotten');
          const survived = join(root, 'forgotten-survived');
          const s = spec(waitingJob(release, `touch "${survived}"`));
          first.executor.start(s);
          await first.events.started$(s.jobId, deadline);
          await first.executor.close();
          const second = fresh(dir);
          assert.deepEqual(second.executor.running(), []);
          // the old process ended with the old instance: releasing it now leaves no trace
          writeFileSync(release, '');
          const probe = spec(['/bin/sh', '-c', 'exit 0']);
          second.executor.start(probe);
          await second.events.exited$(probe.jobId, deadline);
          assert.equal(existsSync(survived), false, 'the attempt outlived the executor that started it');
          assert.equal(
            second.events.events.some((e) => e.jobId === s.jobId),
            false,
          );
        },
      );
    }
  });
}
