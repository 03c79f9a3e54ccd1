/**
 * The Slurm executor: each job attempt becomes one Slurm batch job (sbatch with a generated wrapper
 * script that runs the argv literally), followed by polling squeue (states) and scontrol (exit
 * codes of finished jobs), tailing the per-attempt output files into `events.output`, and reporting
 * started/exited. Attempts are persisted in a state file so a restarted server re-attaches to them
 * (see docs/executors.md).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { ExecutorLogger, SlurmExecutorOptions } from './slurm-options.js';
import type { ExecutionSpec, Executor, ExecutorEvents, ExitResult } from '../../batch/executor.js';
import { FileTail } from './file-tail.js';
import { IdleCpuCache } from './idle-cpus.js';
import { exitResultOf, phaseOf, type SlurmJobRecord } from './job-status.js';
import { SlurmCli } from './slurm-cli.js';
import { sbatchArgs } from './sbatch-args.js';
import { PARTITION_SETTING } from './slurm-config.js';
import { StateFile, toPersisted, type PersistedAttempt } from './state-file.js';
import { LAUNCH_FAILED_MARKER, scriptProblem, wrapperScript } from './wrapper-script.js';

interface Tracked extends PersistedAttempt {
  stdout: FileTail;
  stderr: FileTail;
  /** Set on records loaded from the state file until a poll has seen them. */
  reattached: boolean;
  /** sbatch for this attempt has not answered yet (in this process). */
  submitting: boolean;
  /** A plain scancel went out for the still-pending job. */
  cancelSent?: boolean;
}

/** slurmstepd's own note in the job's stderr when it is signalled; not the job's output. */
const STEPD_NOTICE = /^slurmstepd(-\S+)?: error: \*\*\* JOB \d+ ON \S+ CANCELLED AT \S+( DUE TO \w[\w ]*)? \*\*\*$/;
const TIMEOUT_REASON = 'Job attempt duration exceeded timeout';
const noEvents: ExecutorEvents = { started() {}, output() {}, exited() {} };
const silent: ExecutorLogger = { warn() {} };

export type { ExecutorLogger, SlurmExecutorOptions } from './slurm-options.js';

export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  readonly cli: SlurmCli;
  private eventsSink: ExecutorEvents;
  private readonly attempts = new Map<string, Tracked>();
  private readonly state: StateFile;
  private readonly clock: Clock;
  private readonly logger: ExecutorLogger;
  private readonly killGraceMs: number;
  private readonly pollIntervalMs: number;
  private readonly submitQueue: Array<{ rec: Tracked; spec: ExecutionSpec }> = [];
  private submitsInFlight = 0;
  private readonly submitPromises = new Set<Promise<void>>();
  private memoryConsumable?: Promise<boolean>;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private pollWaiters: Array<() => void> = [];
  private dirty = false;
  private closed = false;
  private readonly idleCpus: IdleCpuCache;
  private squeueFailing = false;

  constructor(private readonly options: SlurmExecutorOptions) {
    this.cli = new SlurmCli({ slurmConf: options.slurmConf, binDir: options.binDir });
    this.clock = options.clock ?? { now: () => Date.now() };
    this.logger = options.logger ?? silent;
    this.killGraceMs = options.killGraceMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.eventsSink = options.events ?? noEvents;
    this.state = new StateFile(options.stateDir);
    this.idleCpus = new IdleCpuCache(
      (partition) => this.freeCpus(partition || undefined),
      (error) => this.logger.warn('slurm: sinfo failed', { error: String(error) }),
    );
    for (const saved of this.state.load()) {
      this.attempts.set(key(saved.jobId, saved.attempt), {
        ...saved,
        stdout: new FileTail(join(saved.dir, 'stdout.log'), saved.stdoutOffset),
        stderr: new FileTail(join(saved.dir, 'stderr.log'), saved.stderrOffset),
        reattached: true,
        submitting: false,
      });
    }
    if (options.events) this.schedule(0);
  }

  /** Where started/output/exited go (as LocalExecutor.attach). Starts re-attaching to the
   * attempts persisted by an earlier instance; `reconcile()` resolves once that poll is done. */
  attach(events: ExecutorEvents): void {
    this.eventsSink = events;
    this.schedule(0);
  }

  start(spec: ExecutionSpec): void {
    const k = key(spec.jobId, spec.attempt);
    if (this.closed) throw new Error('SlurmExecutor is closed');
    if (this.attempts.has(k)) {
      this.logger.warn('slurm: attempt already started; ignoring the second start', { jobId: spec.jobId, attempt: spec.attempt });
      return;
    }
    const problem = scriptProblem(spec);
    if (problem) {
      queueMicrotask(() => this.eventsSink.exited(spec.jobId, spec.attempt, { cause: 'launchFailed', reason: problem }));
      return;
    }
    const dir = join(this.options.stateDir, 'attempts', `${spec.jobId.replace(/[^\w.-]/g, '_')}-${spec.attempt}`);
    const rec: Tracked = {
      jobId: spec.jobId,
      attempt: spec.attempt,
      slurmJobName: `batchlink-${spec.jobId}-${spec.attempt}`.slice(0, 200),
      dir,
      ...(spec.timeoutSeconds !== undefined ? { timeoutSeconds: spec.timeoutSeconds * (this.options.timeoutScale ?? 1) } : {}),
      cpus: cpusOf(spec),
      partition: this.partitionOf(spec.settings),
      startedReported: false,
      stdoutOffset: 0,
      stderrOffset: 0,
      stdout: new FileTail(join(dir, 'stdout.log')),
      stderr: new FileTail(join(dir, 'stderr.log')),
      reattached: false,
      submitting: true,
    };
    this.attempts.set(k, rec);
    this.submitQueue.push({ rec, spec });
    this.pumpSubmits();
  }

  terminate(jobId: string, attempt: number, reason: string): void {
    const rec = this.attempts.get(key(jobId, attempt));
    if (!rec || rec.end) return;
    rec.end = { cause: 'terminated', reason };
    this.dirty = true;
    if (rec.slurmJobId) this.sendStop(rec);
    this.schedule(0);
  }

  running(): Array<{ jobId: string; attempt: number }> {
    return [...this.attempts.values()].map(({ jobId, attempt }) => ({ jobId, attempt }));
  }

  /** Runs one poll now (re-attaching to persisted attempts) and resolves when it is done. */
  async reconcile(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.pollWaiters.push(resolve);
      this.schedule(0);
    });
  }

  /** Idle CPUs of a partition (default: the executor's), from `sinfo -o %C`. */
  async freeCpus(partition = this.options.partition): Promise<number> {
    return (await this.cli.freeCpus(partition)).idle;
  }

  /**
   * Synchronous capacity hint for the scheduler: the idle CPUs of the partition the settings
   * name, as last read from sinfo (refreshed in the background when older than a second).
   * Undefined until the first answer. The scheduler takes min(maxvCpus - its usage, this).
   */
  availableVcpus(settings?: Record<string, string>): number | undefined {
    const partition = this.partitionOf(settings);
    const idle = this.idleCpus.peek(partition);
    if (idle === undefined) return undefined;
    // CPUs of this executor's attempts that Slurm has not started yet are not in sinfo's
    // allocation: count them as taken so a burst of start() calls sees the hint go down
    let waiting = 0;
    for (const r of this.attempts.values()) if (!r.startedReported && r.partition === partition) waiting += r.cpus ?? 1;
    return Math.max(0, idle - waiting);
  }

  private partitionOf(settings: Record<string, string> | undefined): string {
    return settings?.[PARTITION_SETTING] ?? settings?.['partition'] ?? this.options.partition ?? '';
  }

  /** After a restart: cancels the Slurm job an attempt left behind when this executor no longer
   * tracks it (state file lost), but only if that job id still carries the attempt's name. */
  cleanupLost(jobId: string, attempt: number, taskId: string): void {
    if (!/^\d+$/.test(taskId) || this.attempts.has(key(jobId, attempt))) return;
    const name = `batchlink-${jobId}-${attempt}`.slice(0, 200);
    void this.cli
      .states()
      .then((jobs) => {
        const job = jobs.get(taskId);
        if (job && job.name === name && phaseOf(job.state) !== 'finished') return this.cli.scancel(taskId);
        return undefined;
      })
      .catch((error: unknown) =>
        this.logger.warn('slurm: cleanup of a lost attempt failed', { jobId, attempt, slurmJobId: taskId, error: String(error) }),
      );
  }

  /** Stops watching. Slurm jobs keep running; a new executor on the same stateDir re-attaches. */
  async close(): Promise<void> {
    this.closed = true;
    this.idleCpus.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.submitQueue.length = 0;
    await Promise.allSettled([...this.submitPromises]);
    await this.polling;
    this.saveState(true);
    for (const resolve of this.pollWaiters.splice(0)) resolve();
  }

  // ---- submission ----

  private pumpSubmits(): void {
    const max = this.options.maxConcurrentSubmits ?? 4;
    while (this.submitsInFlight < max && this.submitQueue.length > 0) {
      const next = this.submitQueue.shift();
      if (!next) break;
      this.submitsInFlight++;
      const p = this.submit(next.rec, next.spec).finally(() => {
        this.submitsInFlight--;
        this.submitPromises.delete(p);
        if (!this.closed) this.pumpSubmits();
      });
      this.submitPromises.add(p);
    }
  }

  private async submit(rec: Tracked, spec: ExecutionSpec): Promise<void> {
    const k = key(rec.jobId, rec.attempt);
    try {
      if (rec.end) {
        // terminated before it was ever submitted
        this.finish(rec, { cause: rec.end.cause, reason: rec.end.reason });
        return;
      }
      rmSync(rec.dir, { recursive: true, force: true });
      mkdirSync(rec.dir, { recursive: true, mode: 0o700 });
      const script = join(rec.dir, 'job.sh');
      writeFileSync(script, wrapperScript(spec, rec.dir), { mode: 0o700 });
      this.dirty = true;
      this.saveState(); // persisted without a job id: a crash during sbatch is found by job name
      const args = await this.sbatchArgs(rec, spec);
      rec.slurmJobId = await this.cli.sbatch(args, script);
      rec.submitting = false;
      this.dirty = true;
      this.saveState();
      this.logger.info?.('slurm: submitted', { jobId: rec.jobId, attempt: rec.attempt, slurmJobId: rec.slurmJobId });
      if (rec.end) this.sendStop(rec);
      this.schedule(this.pollIntervalMs);
    } catch (error) {
      if (this.attempts.get(k) !== rec) return;
      this.logger.warn('slurm: sbatch failed', { jobId: rec.jobId, attempt: rec.attempt, error: String(error) });
      this.finish(rec, { cause: 'launchFailed', reason: `Slurm did not accept the job: ${(error as Error).message}` });
    }
  }

  private async sbatchArgs(rec: Tracked, spec: ExecutionSpec): Promise<string[]> {
    return sbatchArgs({
      jobName: rec.slurmJobName,
      dir: rec.dir,
      cpus: rec.cpus ?? cpusOf(spec),
      ...(rec.partition ? { partition: rec.partition } : {}),
      ...(spec.memory > 0 && (await this.requestMemory()) ? { memoryMiB: spec.memory } : {}),
      ...(rec.timeoutSeconds !== undefined ? { timeoutSeconds: rec.timeoutSeconds } : {}),
      killGraceMs: this.killGraceMs,
      comment: `batchlink:${rec.jobId}:${rec.attempt}`,
      extra: this.options.extraSbatchArgs ?? [],
    });
  }

  private requestMemory(): Promise<boolean> {
    const mode = this.options.memory ?? 'auto';
    if (mode !== 'auto') return Promise.resolve(mode === 'request');
    this.memoryConsumable ??= this.cli.config().then(
      (config) => {
        const consumable = /MEMORY/i.test(config.get('SelectTypeParameters') ?? '');
        if (!consumable)
          this.logger.info?.('slurm: memory is not a consumable resource on this cluster (SelectTypeParameters); not passing --mem');
        return consumable;
      },
      () => false,
    );
    return this.memoryConsumable;
  }

  // ---- stopping ----

  /** SIGTERM to the job's main process (the argv); a job still pending is cancelled instead. */
  private sendStop(rec: Tracked): void {
    const id = rec.slurmJobId;
    if (!id || rec.signalSentAtMs !== undefined) return;
    rec.signalSentAtMs = Date.now();
    this.dirty = true;
    void this.cli.scancel(id, 'TERM').catch((error: unknown) => {
      // refused while the job is still pending: cancel it outright. Should it have started in
      // between, the running branch of the next poll signals it again (and kills after grace).
      rec.signalSentAtMs = undefined;
      this.logger.info?.('slurm: scancel --signal=TERM refused; cancelling', { slurmJobId: id, error: String(error) });
      rec.cancelSent = true;
      return this.cli.scancel(id).catch((e: unknown) => this.logger.warn('slurm: scancel failed', { slurmJobId: id, error: String(e) }));
    });
  }

  /** SIGKILL to the job's main process (slurmstepd then ends the rest). A plain `scancel` right
   * after would race it (the controller starts its own TERM + KillWait sequence), so that is only
   * a late backstop. */
  private sendKill(rec: Tracked): void {
    const id = rec.slurmJobId;
    if (!id) return;
    const log = (error: unknown) => this.logger.warn('slurm: scancel failed', { slurmJobId: id, error: String(error) });
    if (!rec.killSent) {
      rec.killSent = true;
      this.dirty = true;
      void this.cli.scancel(id, 'KILL').catch(log);
    } else if (!rec.cancelSent) {
      rec.cancelSent = true;
      void this.cli.scancel(id).catch(log);
    }
  }

  // ---- polling ----

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.polling) {
        this.schedule(this.pollIntervalMs);
        return;
      }
      this.polling = this.poll()
        .catch((error: unknown) => this.logger.error?.('slurm: poll failed', { error: String(error) }))
        .finally(() => {
          this.polling = undefined;
          for (const resolve of this.pollWaiters.splice(0)) resolve();
          if ([...this.attempts.values()].some((r) => !r.submitting)) this.schedule(this.pollIntervalMs);
        });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const watched = [...this.attempts.values()].filter((r) => !r.submitting);
    if (watched.length === 0) return;
    let jobs: Map<string, SlurmJobRecord>;
    try {
      jobs = await this.cli.states();
      this.squeueFailing = false;
    } catch (error) {
      if (!this.squeueFailing) this.logger.warn('slurm: squeue failed; will retry', { error: String(error) });
      this.squeueFailing = true;
      return;
    }
    // attempts persisted while sbatch was running: find them by job name
    for (const rec of watched) {
      if (rec.slurmJobId) continue;
      const found = [...jobs.values()].find((j) => j.name === rec.slurmJobName);
      if (found) rec.slurmJobId = found.jobId;
    }
    // finished jobs: the exit code and signal come from scontrol, a few at a time
    const finished = watched
      .filter((r) => r.slurmJobId && phaseOf(jobs.get(r.slurmJobId)?.state ?? 'PENDING') === 'finished')
      .map((r) => r.slurmJobId as string);
    const unsure = new Set<string>(); // scontrol failed: decide on a later poll
    for (let i = 0; i < finished.length; i += 8) {
      const details = await Promise.all(finished.slice(i, i + 8).map((id) => this.cli.job(id).catch(() => null)));
      for (const [j, detail] of details.entries()) {
        const id = finished[i + j] as string;
        if (detail) jobs.set(id, detail);
        else if (detail === null) unsure.add(id);
        else jobs.delete(id); // purged meanwhile: look in the completion log below
      }
    }
    const missing = watched.filter((r) => r.slurmJobId && !jobs.has(r.slurmJobId)).map((r) => r.slurmJobId as string);
    let completed = new Map<string, SlurmJobRecord>();
    if (missing.length > 0) {
      try {
        completed = await this.cli.completed(missing);
      } catch (error) {
        this.logger.warn('slurm: sacct -c failed (is JobCompType=jobcomp/filetxt set?)', { error: String(error) });
      }
    }
    for (const rec of watched) {
      if (this.attempts.get(key(rec.jobId, rec.attempt)) !== rec || (rec.slurmJobId && unsure.has(rec.slurmJobId))) continue;
      const job = rec.slurmJobId ? (jobs.get(rec.slurmJobId) ?? completed.get(rec.slurmJobId)) : undefined;
      await this.advance(rec, job);
    }
    this.saveState();
  }

  private async advance(rec: Tracked, job: SlurmJobRecord | undefined): Promise<void> {
    const reattached = rec.reattached;
    rec.reattached = false;
    if (!job) {
      const what = rec.slurmJobId
        ? `Slurm job ${rec.slurmJobId} is no longer known to the cluster (not in squeue, not in the job completion log)`
        : 'batchlink stopped while submitting this attempt to Slurm and no Slurm job carries its name';
      await this.drainOutput(rec, true);
      this.finish(rec, { cause: 'lost', reason: `Host lost: ${what}` });
      return;
    }
    const phase = phaseOf(job.state);
    if (phase === 'pending') {
      if (rec.end && !rec.cancelSent && rec.slurmJobId) {
        rec.cancelSent = true;
        const id = rec.slurmJobId;
        void this.cli
          .scancel(id)
          .catch((error: unknown) => this.logger.warn('slurm: scancel failed', { slurmJobId: id, error: String(error) }));
      }
      return;
    }
    const ran = Boolean(job.batchHost);
    if (ran && !rec.startedReported) {
      rec.startedReported = true;
      // Slurm's start_time has whole seconds: prefer the moment this process saw it running
      rec.startedAtMs = reattached && job.startTimeMs ? job.startTimeMs : Date.now();
      this.dirty = true;
      this.eventsSink.started(rec.jobId, rec.attempt, { hostId: job.batchHost ?? 'slurm', taskId: rec.slurmJobId });
    }
    if (phase === 'running') {
      await this.drainOutput(rec, false);
      const now = Date.now();
      if (!rec.end && rec.timeoutSeconds && rec.startedAtMs !== undefined && now >= rec.startedAtMs + rec.timeoutSeconds * 1000) {
        rec.end = { cause: 'timeout', reason: TIMEOUT_REASON };
        this.dirty = true;
      }
      if (rec.end && rec.signalSentAtMs === undefined) this.sendStop(rec);
      if (rec.signalSentAtMs !== undefined) {
        const since = now - rec.signalSentAtMs;
        if (since >= this.killGraceMs && !rec.killSent) this.sendKill(rec);
        else if (since >= 2 * this.killGraceMs + 5000) this.sendKill(rec);
      }
      return;
    }
    await this.drainOutput(rec, true);
    const notFound = readLaunchFailure(rec.dir);
    if (notFound !== undefined) {
      this.finish(rec, {
        cause: 'launchFailed',
        reason: `CannotStartContainerError: exec: "${notFound}": executable file not found in $PATH`,
      });
      return;
    }
    const result = exitResultOf(job, rec.end);
    if (result.cause === 'timeout' && !result.reason?.startsWith(TIMEOUT_REASON)) result.reason = TIMEOUT_REASON;
    this.finish(rec, result);
  }

  private async drainOutput(rec: Tracked, final: boolean): Promise<void> {
    const timestamp = this.clock.now();
    for (const tail of [rec.stdout, rec.stderr]) {
      let lines: string[];
      try {
        lines = await tail.read(final);
      } catch (error) {
        this.logger.warn('slurm: cannot read job output', { path: tail.path, error: String(error) });
        continue;
      }
      if (tail === rec.stderr) lines = lines.filter((line) => !STEPD_NOTICE.test(line));
      if (lines.length > 0) {
        this.dirty = true;
        this.eventsSink.output(
          rec.jobId,
          rec.attempt,
          lines.map((message) => ({ timestamp, message })),
        );
      }
    }
    rec.stdoutOffset = rec.stdout.offset;
    rec.stderrOffset = rec.stderr.offset;
  }

  private finish(rec: Tracked, result: ExitResult): void {
    this.attempts.delete(key(rec.jobId, rec.attempt));
    this.dirty = true;
    this.saveState();
    if (!this.options.keepAttemptDirs) rmSync(rec.dir, { recursive: true, force: true });
    this.eventsSink.exited(rec.jobId, rec.attempt, result);
  }

  private saveState(force = false): void {
    if (!this.dirty && !force) return;
    this.dirty = false;
    const list = [...this.attempts.values()].map(toPersisted);
    try {
      this.state.save(list);
    } catch (error) {
      this.logger.error?.('slurm: cannot write the state file', { path: this.state.path, error: String(error) });
    }
  }
}

function cpusOf(spec: ExecutionSpec): number {
  return Math.max(1, Math.ceil(spec.vcpus || 1));
}

function readLaunchFailure(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, LAUNCH_FAILED_MARKER), 'utf8');
  } catch {
    return undefined;
  }
}

function key(jobId: string, attempt: number): string {
  return `${jobId}#${attempt}`;
}
