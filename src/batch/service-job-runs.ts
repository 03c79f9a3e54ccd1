/**
 * How service jobs (SageMaker training jobs in AWS) run in batchlink. Every status change is a
 * named transition guarded by the statuses it may leave. A job runs only when its
 * serviceRequestPayload's AlgorithmSpecification names a ContainerEntrypoint AND a runner
 * (the scheduler) is attached: the runner takes `dispatchable()` jobs, runs `containerOf(job)`
 * on an executor and reports `moveToRunning` / `finish`. Otherwise the job FAILs with a reason
 * saying why — never a silent success. A preempted job (`beginPreemption`) ends its attempt when its
 * process stops and goes back to RUNNABLE, or FAILED once its preemption retries are spent.
 */
import type { Scope } from '../core/context.js';
import type { DocumentRepository } from '../core/repository.js';
import type { ServiceJob, ServiceJobAttempt, ServiceJobStatus } from './scheduling-model.js';

const WAITING: readonly ServiceJobStatus[] = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'SCHEDULED'];
const STARTED: readonly ServiceJobStatus[] = ['STARTING', 'RUNNING'];
/** preemptionSummary.recentPreemptedAttempts keeps this many (AWS: "a sliding window"; size not published). */
export const RECENT_PREEMPTED_ATTEMPTS = 5;

/** What a preempted job shows while it is being stopped, and what its preempted attempt records. */
export interface PreemptionReason {
  inProgress: string;
  attempt: string;
}

export const NO_ENTRYPOINT_REASON =
  'batchlink runs service jobs only when serviceRequestPayload.AlgorithmSpecification names a ContainerEntrypoint (it then runs the TrainingImage with that entrypoint on its local executor); this payload names none, and SageMaker itself is not available.';
export const NO_RUNNER_REASON =
  'batchlink runs service jobs only when its scheduler has a service-job runner attached; this server has none, so the job was not run.';

/** What a runner needs to start a service job's container. */
export interface ServiceJobContainer {
  image: string;
  command: string[];
  environment: Record<string, string>;
  timeoutSeconds?: number;
}

/** The container a payload names, or undefined when it names no ContainerEntrypoint. */
export function containerOf(payloadText: string): ServiceJobContainer | undefined {
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(payloadText) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const spec = (payload.AlgorithmSpecification ?? {}) as Record<string, unknown>;
  const entrypoint = spec.ContainerEntrypoint;
  if (!Array.isArray(entrypoint) || entrypoint.length === 0 || entrypoint.some((p) => typeof p !== 'string')) return undefined;
  const args = Array.isArray(spec.ContainerArguments) ? spec.ContainerArguments.filter((a): a is string => typeof a === 'string') : [];
  const env = payload.Environment && typeof payload.Environment === 'object' ? (payload.Environment as Record<string, unknown>) : {};
  const stopping = (payload.StoppingCondition ?? {}) as Record<string, unknown>;
  return {
    image: typeof spec.TrainingImage === 'string' ? spec.TrainingImage : '',
    command: [...(entrypoint as string[]), ...args],
    environment: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
    ...(typeof stopping.MaxRuntimeInSeconds === 'number' ? { timeoutSeconds: stopping.MaxRuntimeInSeconds } : {}),
  };
}

export class ServiceJobRuns {
  /** Set by the composition root when the scheduler runs service jobs. */
  runnerAttached = false;
  /** Asks the runner to stop a STARTING/RUNNING service job (TerminateServiceJob). */
  stopRunning: (scope: Scope, jobId: string, reason: string) => void = () => {};

  constructor(
    private readonly repo: DocumentRepository<ServiceJob>,
    private readonly now: () => number,
  ) {}

  /** Guarded write: applies `change` and sets `to` only while the job is in one of `from`. */
  transition(scope: Scope, jobId: string, from: readonly ServiceJobStatus[], to: ServiceJobStatus, change: (job: ServiceJob) => void = () => {}): ServiceJob | undefined {
    const job = this.repo.get(scope, jobId);
    if (!job || !from.includes(job.detail.status)) return undefined;
    change(job);
    job.detail.status = to;
    this.repo.put(scope, jobId, job);
    return job;
  }

  /** Right after SubmitServiceJob commits: FAIL the job now when batchlink cannot run it. */
  afterSubmit(scope: Scope, job: ServiceJob): void {
    const reason = !containerOf(job.detail.serviceRequestPayload) ? NO_ENTRYPOINT_REASON : !this.runnerAttached ? NO_RUNNER_REASON : undefined;
    if (reason) this.moveToFailed(scope, job.detail.jobId, reason);
  }

  /** STARTING|RUNNING jobs in every account (runner recovery after a restart). */
  started(): Array<{ scope: Scope; job: ServiceJob }> {
    return this.repo.listAll().filter(({ doc }) => STARTED.includes(doc.detail.status)).map(({ scope, doc }) => ({ scope, job: doc }));
  }

  /** SUBMITTED -> RUNNABLE for every account; returns the RUNNABLE jobs, oldest first (runner use). */
  dispatchable(limit: number): Array<{ scope: Scope; job: ServiceJob; container: ServiceJobContainer }> {
    const out: Array<{ scope: Scope; job: ServiceJob; container: ServiceJobContainer }> = [];
    for (const { scope, id, doc } of this.repo.listAll()) {
      if (out.length >= limit) break;
      const job = doc.detail.status === 'SUBMITTED' ? this.transition(scope, id, ['SUBMITTED'], 'RUNNABLE') : doc;
      const container = job && job.detail.status === 'RUNNABLE' ? containerOf(job.detail.serviceRequestPayload) : undefined;
      if (job && container) out.push({ scope, job, container });
    }
    return out;
  }

  /** RUNNABLE -> SCHEDULED -> STARTING in one step: the runner has placed the job. */
  moveToStarting(scope: Scope, jobId: string, trainingJobArn: string): ServiceJob | undefined {
    const now = this.now();
    return this.transition(scope, jobId, ['RUNNABLE', 'SCHEDULED'], 'STARTING', (j) => {
      delete j.detail.statusReason; // a requeued job's preemption reason
      j.detail.scheduledAt = now;
      j.detail.latestAttempt = { serviceResourceId: { name: 'TrainingJobArn', value: trainingJobArn } };
    });
  }

  /** STARTING -> RUNNING: the container process started. */
  moveToRunning(scope: Scope, jobId: string): ServiceJob | undefined {
    const now = this.now();
    return this.transition(scope, jobId, ['STARTING'], 'RUNNING', (j) => {
      j.detail.startedAt = now;
      j.detail.attempts = [...j.detail.attempts, { ...(j.detail.latestAttempt ?? {}), startedAt: now }];
    });
  }

  /**
   * STARTING|RUNNING -> SUCCEEDED|FAILED: the container exited. A job being preempted (and not
   * terminated) ends its attempt as preempted instead, whatever the exit.
   */
  finish(scope: Scope, jobId: string, exitCode: number | undefined, reason?: string): ServiceJob | undefined {
    const now = this.now();
    const current = this.repo.get(scope, jobId);
    const terminated = current?.internal.terminationRequested;
    if (current?.internal.preemption && terminated === undefined) return this.endPreemptedAttempt(scope, jobId, current.internal.preemption.attemptReason);
    const ok = exitCode === 0 && terminated === undefined;
    const statusReason = terminated ?? reason ?? (ok ? 'Training job completed' : `Training container exited with code ${exitCode ?? 'unknown'}`);
    return this.transition(scope, jobId, STARTED, ok ? 'SUCCEEDED' : 'FAILED', (j) => {
      j.detail.statusReason = statusReason;
      j.detail.stoppedAt = now;
      const last = j.detail.status === 'RUNNING' ? j.detail.attempts[j.detail.attempts.length - 1] : undefined;
      if (last) Object.assign(last, { stoppedAt: now, statusReason });
      else j.detail.attempts = [...j.detail.attempts, { ...(j.detail.latestAttempt ?? {}), stoppedAt: now, statusReason }];
      if (terminated !== undefined) j.detail.isTerminated = true;
      delete j.internal.preemption; // termination outranks a preemption under way
    });
  }

  /**
   * STARTING|RUNNING (status unchanged): the job is chosen for preemption; its statusReason says so
   * until its process has stopped (then `finish`). Not for a job already being stopped.
   */
  beginPreemption(scope: Scope, jobId: string, reason: PreemptionReason): ServiceJob | undefined {
    const job = this.repo.get(scope, jobId);
    if (!job || job.internal.preemption || job.internal.terminationRequested !== undefined) return undefined;
    return this.transition(scope, jobId, STARTED, job.detail.status, (j) => {
      j.internal.preemption = { attemptReason: reason.attempt };
      j.detail.statusReason = reason.inProgress;
    });
  }

  /**
   * STARTING|RUNNING -> RUNNABLE (requeued), or -> FAILED once preempted more than
   * preemptionRetriesBeforeTermination times (unset: requeued without limit). The attempt goes
   * to preemptionSummary, not to `attempts` (which keeps the attempts that ran to an end).
   */
  private endPreemptedAttempt(scope: Scope, jobId: string, attemptReason: string): ServiceJob | undefined {
    const now = this.now();
    const job = this.repo.get(scope, jobId);
    if (!job) return undefined;
    const count = (job.detail.preemptionSummary?.preemptedAttemptCount ?? 0) + 1;
    const retries = job.detail.preemptionConfiguration?.preemptionRetriesBeforeTermination;
    const exhausted = retries !== undefined && count > retries;
    return this.transition(scope, jobId, STARTED, exhausted ? 'FAILED' : 'RUNNABLE', (j) => {
      delete j.internal.preemption;
      const running = j.detail.status === 'RUNNING' ? j.detail.attempts[j.detail.attempts.length - 1] : undefined;
      const attempt: ServiceJobAttempt = {
        ...(j.detail.latestAttempt?.serviceResourceId ? { serviceResourceId: j.detail.latestAttempt.serviceResourceId } : {}),
        ...(running?.startedAt !== undefined ? { startedAt: running.startedAt } : {}),
        stoppedAt: now,
        statusReason: attemptReason,
      };
      const recent = [...(j.detail.preemptionSummary?.recentPreemptedAttempts ?? []), attempt].slice(-RECENT_PREEMPTED_ATTEMPTS);
      j.detail.preemptionSummary = { preemptedAttemptCount: count, recentPreemptedAttempts: recent };
      if (exhausted) {
        j.detail.statusReason = `Preemption retries exhausted (preemptionRetriesBeforeTermination: ${retries}): ${attemptReason}`;
        j.detail.stoppedAt = now;
        if (running) Object.assign(running, { stoppedAt: now, statusReason: attemptReason });
        else j.detail.attempts = [...j.detail.attempts, attempt];
        return;
      }
      j.detail.statusReason = attemptReason;
      if (running) j.detail.attempts = j.detail.attempts.slice(0, -1);
      delete j.detail.scheduledAt;
      delete j.detail.startedAt;
    });
  }

  /** SUBMITTED..SCHEDULED -> FAILED (terminated, or not runnable here). */
  moveToFailed(scope: Scope, jobId: string, statusReason: string, terminated = false): ServiceJob | undefined {
    const now = this.now();
    return this.transition(scope, jobId, WAITING, 'FAILED', (j) => {
      j.detail.statusReason = statusReason;
      j.detail.stoppedAt = now;
      if (terminated) j.detail.isTerminated = true;
    });
  }

  /** A deleted job queue ends its service jobs: waiting ones fail, running ones are terminated. */
  endForQueue(scope: Scope, jobQueueArn: string, reason: string): void {
    for (const job of this.repo.list(scope)) {
      if (job.detail.jobQueue === jobQueueArn && job.detail.status !== 'SUCCEEDED' && job.detail.status !== 'FAILED') this.terminate(scope, job.detail.jobId, reason);
    }
  }

  /** TerminateServiceJob: waiting jobs fail now; started ones are stopped by the runner. */
  terminate(scope: Scope, jobId: string, reason: string): void {
    if (this.moveToFailed(scope, jobId, reason, true)) return;
    const job = this.repo.get(scope, jobId);
    if (!job || !STARTED.includes(job.detail.status)) return;
    job.internal.terminationRequested = reason;
    this.repo.put(scope, jobId, job);
    if (this.runnerAttached) this.stopRunning(scope, jobId, reason);
    else this.finish(scope, jobId, undefined, reason);
  }
}
