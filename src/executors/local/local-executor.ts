/**
 * The local executor (the embedded default): each job attempt is a host process started from
 * its argv directly (never through a shell), in its own working directory and process group,
 * with only the job's environment. stdout/stderr lines become log events; terminate and
 * timeout send SIGTERM to the group, then SIGKILL after the grace period.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { ExecutionSpec, Executor, ExecutorEvents, ExitResult } from '../../batch/executor.js';
import { LineSplitter } from './line-splitter.js';

const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface LocalExecutorOptions {
  workRoot: string;
  clock: Clock;
  killGraceMs: number;
  /** Multiplies attempt timeouts; 1 in service. Tests shrink AWS's 60 s minimum with it. */
  timeoutScale?: number;
  logger: { warn(message: string, fields?: Record<string, unknown>): void };
}

interface Running {
  spec: ExecutionSpec;
  child: ChildProcess;
  cause?: ExitResult['cause'];
  reason?: string;
  timers: NodeJS.Timeout[];
  workDir: string;
}

export class LocalExecutor implements Executor {
  readonly name = 'local';
  private readonly runs = new Map<string, Running>();
  private events: ExecutorEvents | undefined;

  constructor(private readonly options: LocalExecutorOptions) {}

  attach(events: ExecutorEvents): void {
    this.events = events;
  }

  private key(jobId: string, attempt: number): string {
    return `${jobId}#${attempt}`;
  }

  start(spec: ExecutionSpec): void {
    const events = this.events;
    if (!events) throw new Error('LocalExecutor.start called before attach()');
    const [program, ...args] = spec.command;
    if (!program) {
      events.exited(spec.jobId, spec.attempt, {
        cause: 'launchFailed',
        reason: 'CannotStartContainerError: the job has no command, and the local executor cannot run an image default command',
      });
      return;
    }
    const workDir = join(this.options.workRoot, spec.jobId, String(spec.attempt));
    mkdirSync(workDir, { recursive: true });
    const child = spawn(program, args, {
      cwd: workDir,
      env: { PATH: BASE_PATH, HOME: workDir, ...spec.environment },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const run: Running = { spec, child, timers: [], workDir };
    this.runs.set(this.key(spec.jobId, spec.attempt), run);
    const emit = (lines: string[]) => {
      if (lines.length === 0) return;
      const timestamp = this.options.clock.now();
      events.output(spec.jobId, spec.attempt, lines.map((message) => ({ timestamp, message })));
    };
    const stdout = new LineSplitter();
    const stderr = new LineSplitter();
    child.stdout?.on('data', (chunk: Buffer) => emit(stdout.push(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => emit(stderr.push(chunk)));
    child.once('spawn', () => {
      events.started(spec.jobId, spec.attempt, { hostId: 'local', taskId: String(child.pid) });
      if (spec.timeoutSeconds !== undefined) {
        run.timers.push(setTimeout(() => this.stop(run, 'timeout', 'Job attempt duration exceeded timeout'), spec.timeoutSeconds * 1000 * (this.options.timeoutScale ?? 1)));
      }
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // errors after spawn are reported by 'close'
      this.finish(run, {
        cause: 'launchFailed',
        reason:
          error.code === 'ENOENT'
            ? `CannotStartContainerError: exec: "${program}": executable file not found in $PATH`
            : `CannotStartContainerError: ${error.message}`,
      });
    });
    child.once('close', (code, signal) => {
      emit(stdout.flush());
      emit(stderr.flush());
      this.finish(run, {
        ...(code !== null ? { exitCode: code } : {}),
        ...(signal ? { signal } : {}),
        ...(run.cause ? { cause: run.cause } : {}),
        ...(run.reason ? { reason: run.reason } : {}),
      });
    });
  }

  private finish(run: Running, result: ExitResult): void {
    const key = this.key(run.spec.jobId, run.spec.attempt);
    if (!this.runs.has(key)) return;
    this.runs.delete(key);
    for (const timer of run.timers) clearTimeout(timer);
    rmSync(run.workDir, { recursive: true, force: true });
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
    const pid = run.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
        this.options.logger.warn('could not signal job process group', { jobId: run.spec.jobId, signal, error: (error as Error).message });
      }
    }
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
    const runs = [...this.runs.values()];
    const closed = runs.map((run) => new Promise<void>((resolve) => (run.child.exitCode !== null || run.child.signalCode !== null ? resolve() : run.child.once('close', () => resolve()))));
    this.events = undefined;
    for (const run of runs) this.signalGroup(run, 'SIGKILL');
    await Promise.all(closed);
    this.runs.clear();
  }
}
