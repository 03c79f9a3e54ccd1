/**
 * The local executor (the embedded default): each job attempt is a host process started from
 * its argv directly (never through a shell), in its own working directory and process group,
 * with only the job's environment. Processes are started by a spawner process (spawners.ts:
 * posix_spawn through python3, or Node's child_process) so that starting them never blocks the
 * server. stdout/stderr lines become log events; terminate and timeout send SIGTERM to the group,
 * then SIGKILL after the grace period.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { ExecutionSpec, Executor, ExecutorEvents, ExitResult } from '../../batch/executor.js';
import type { FromSpawner, ToSpawner } from './spawner-protocol.js';
import { BASE_PATH, defaultSpawnerKind, startSpawner } from './spawners.js';
import type { SpawnerHandle, SpawnerKind } from './spawners.js';

export interface LocalExecutorOptions {
  workRoot: string;
  clock: Clock;
  killGraceMs: number;
  /** Multiplies attempt timeouts; 1 in service. Tests shrink AWS's 60 s minimum with it. */
  timeoutScale?: number;
  logger: { warn(message: string, fields?: Record<string, unknown>): void };
  /** Which spawner process starts the jobs (spawners.ts); default: posix when python3 is present. */
  spawner?: SpawnerKind;
}

interface Running {
  spec: ExecutionSpec;
  key: string;
  pid?: number;
  cause?: ExitResult['cause'];
  reason?: string;
  timers: NodeJS.Timeout[];
}

export class LocalExecutor implements Executor {
  readonly name = 'local';
  private readonly runs = new Map<string, Running>();
  private events: ExecutorEvents | undefined;
  private spawner: SpawnerHandle | undefined;
  private closing = false;

  constructor(private readonly options: LocalExecutorOptions) {}

  attach(events: ExecutorEvents): void {
    this.events = events;
  }

  private key(jobId: string, attempt: number): string {
    return `${jobId}#${attempt}`;
  }

  /** The spawner process, started on first use and again if it ever dies. */
  private send(message: ToSpawner): void {
    if (!this.spawner?.alive) {
      const spawner: SpawnerHandle = startSpawner(
        this.options.spawner ?? defaultSpawnerKind(),
        (m) => this.receive(m),
        () => this.spawnerGone(spawner),
      );
      this.spawner = spawner;
    }
    this.spawner.send(message);
    this.holdOpen();
  }

  /** The spawner keeps the server's event loop alive only while attempts run. */
  private holdOpen(): void {
    this.spawner?.hold(this.runs.size > 0);
  }

  /** If the spawner dies, the attempts it ran are lost (their processes die with it). */
  private spawnerGone(spawner: SpawnerHandle): void {
    if (this.spawner === spawner) this.spawner = undefined;
    if (this.closing) return;
    for (const run of [...this.runs.values()]) {
      this.finish(run, { cause: 'lost', reason: 'CannotInspectContainerError: the local spawner process exited; the job process was lost' });
    }
  }

  start(spec: ExecutionSpec): void {
    if (!this.events) throw new Error('LocalExecutor.start called before attach()');
    const [program, ...args] = spec.command;
    if (!program) {
      this.events.exited(spec.jobId, spec.attempt, {
        cause: 'launchFailed',
        reason: 'CannotStartContainerError: the job has no command, and the local executor cannot run an image default command',
      });
      return;
    }
    const key = this.key(spec.jobId, spec.attempt);
    // One flat directory per attempt: the spawner creates and removes it with one mkdir/rmdir.
    const workDir = join(this.options.workRoot, `${spec.jobId}.${spec.attempt}`);
    this.runs.set(key, { spec, key, timers: [] });
    this.send({ t: 'start', key, program, args, cwd: workDir, env: { PATH: BASE_PATH, HOME: workDir, ...spec.environment } });
  }

  private receive(m: FromSpawner): void {
    const run = this.runs.get(m.key);
    if (!run) return;
    const { spec } = run;
    switch (m.t) {
      case 'spawned':
        run.pid = m.pid;
        this.events?.started(spec.jobId, spec.attempt, { hostId: 'local', taskId: String(m.pid) });
        if (spec.timeoutSeconds !== undefined) {
          run.timers.push(setTimeout(() => this.stop(run, 'timeout', 'Job attempt duration exceeded timeout'), spec.timeoutSeconds * 1000 * (this.options.timeoutScale ?? 1)));
        }
        // A stop asked before the process existed is carried out now.
        if (run.cause) this.signalGroup(run, 'SIGTERM');
        break;
      case 'out': {
        const timestamp = this.options.clock.now();
        this.events?.output(spec.jobId, spec.attempt, m.lines.map((message) => ({ timestamp, message })));
        break;
      }
      case 'failed':
        this.finish(run, {
          cause: 'launchFailed',
          reason: m.code === 'ENOENT' ? `CannotStartContainerError: exec: "${spec.command[0]}": executable file not found in $PATH` : `CannotStartContainerError: ${m.message}`,
        });
        break;
      case 'exit':
        this.finish(run, {
          ...(m.code !== null ? { exitCode: m.code } : {}),
          ...(m.signal ? { signal: m.signal } : {}),
          ...(run.cause ? { cause: run.cause } : {}),
          ...(run.reason ? { reason: run.reason } : {}),
        });
        break;
    }
  }

  private finish(run: Running, result: ExitResult): void {
    if (!this.runs.has(run.key)) return;
    this.runs.delete(run.key);
    for (const timer of run.timers) clearTimeout(timer);
    this.holdOpen();
    this.events?.exited(run.spec.jobId, run.spec.attempt, result);
  }

  terminate(jobId: string, attempt: number, reason: string): void {
    const run = this.runs.get(this.key(jobId, attempt));
    if (run) this.stop(run, 'terminated', reason);
  }

  /** SIGTERM to the process group, SIGKILL after the grace period if it is still there. */
  private stop(run: Running, cause: ExitResult['cause'], reason: string): void {
    if (run.cause) return;
    run.cause = cause;
    run.reason = reason;
    this.signalGroup(run, 'SIGTERM');
    const kill = setTimeout(() => this.signalGroup(run, 'SIGKILL'), this.options.killGraceMs);
    kill.unref();
    run.timers.push(kill);
  }

  private signalGroup(run: Running, signal: NodeJS.Signals): void {
    if (run.pid === undefined || !this.spawner?.alive) return;
    this.spawner.send({ t: 'signal', key: run.key, signal } satisfies ToSpawner);
  }

  /**
   * Kills the process group an earlier server left behind, but only if /proc shows that the
   * pid still belongs to that job's attempt (pids are reused).
   */
  cleanupLost(jobId: string, attempt: number, taskId: string): void {
    const pid = Number(taskId);
    if (!Number.isInteger(pid) || pid <= 1) return;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      return; // gone already, or not visible to us
    }
    const vars = new Set(environ.split('\0'));
    if (!vars.has(`AWS_BATCH_JOB_ID=${jobId}`) || !vars.has(`AWS_BATCH_JOB_ATTEMPT=${attempt}`)) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already exited
    }
  }

  running(): Array<{ jobId: string; attempt: number }> {
    return [...this.runs.values()].map((r) => ({ jobId: r.spec.jobId, attempt: r.spec.attempt }));
  }

  /** Stops every process (their jobs end FAILED on the next start, as after a host loss). */
  async close(): Promise<void> {
    this.closing = true;
    this.events = undefined;
    this.runs.clear();
    await this.spawner?.stop();
  }
}
