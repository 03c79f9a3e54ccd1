/**
 * The job state machine. Every status change is one named transition, guarded by the
 * statuses it may leave (the UPDATE only applies while the job is still in one of them). No
 * other code writes a job's status. Transitions return the new record, or undefined when the
 * guard did not hold (the job had already moved on).
 */
import type { JobRepository } from './job-repository.js';
import type { AttemptDetail, JobRecord, JobStatus } from './model.js';

const ACTIVE_BEFORE_START: readonly JobStatus[] = ['SUBMITTED', 'PENDING', 'RUNNABLE'];
const STARTED: readonly JobStatus[] = ['STARTING', 'RUNNING'];

export class JobTransitions {
  /** Called after every transition into SUCCEEDED or FAILED (dependents and parents follow). */
  onTerminal: (record: JobRecord) => void = () => {};

  constructor(private readonly jobs: JobRepository) {}

  private ended(record: JobRecord | undefined): JobRecord | undefined {
    if (record) this.onTerminal(record);
    return record;
  }

  /** SUBMITTED -> PENDING: the job waits for its dependencies. */
  moveToPending(jobId: string): JobRecord | undefined {
    return this.jobs.transition(jobId, ['SUBMITTED'], 'PENDING', () => {});
  }

  /**
   * SUBMITTED -> RUNNABLE, in bulk, for jobs that wait for nothing (no dependencies, not a
   * parent); array parents of those jobs that are still SUBMITTED go PENDING (AWS: "when any
   * child job is updated to RUNNABLE").
   */
  moveReadyToRunnable(now: number, limit: number): number {
    const { admitted, arrayParentIds } = this.jobs.admitReady(now, limit);
    for (const parentId of arrayParentIds) this.moveToPending(parentId);
    return admitted;
  }

  /** SUBMITTED|PENDING -> RUNNABLE: nothing holds the job back any more. */
  moveToRunnable(jobId: string, now: number): JobRecord | undefined {
    return this.jobs.transition(jobId, ['SUBMITTED', 'PENDING'], 'RUNNABLE', (r) => {
      r.internal.runnableSince = now;
    });
  }

  /** RUNNABLE -> STARTING: placed on a compute environment; the attempt is being launched. */
  moveToStarting(jobId: string, placement: { computeEnvironmentArn: string; logStreamName: string; taskArn: string; executor: string }): JobRecord | undefined {
    return this.jobs.transition(jobId, ['RUNNABLE'], 'STARTING', (r) => {
      r.internal.computeEnvironmentArn = placement.computeEnvironmentArn;
      r.internal.executor = placement.executor;
      r.internal.attempt += 1;
      delete r.internal.taskId;
      r.detail.container = { ...r.detail.container, logStreamName: placement.logStreamName, taskArn: placement.taskArn };
      delete r.detail.container.exitCode;
      delete r.detail.container.reason;
    });
  }

  /** STARTING -> RUNNING: the process runs. */
  moveToRunning(jobId: string, attempt: number, now: number, taskId?: string): JobRecord | undefined {
    return guard(() => this.jobs.transition(jobId, ['STARTING'], 'RUNNING', (r) => {
      if (r.internal.attempt !== attempt) throw new StaleAttempt();
      r.detail.startedAt = now;
      r.internal.attemptStartedAt = now;
      if (taskId !== undefined) r.internal.taskId = taskId;
    }));
  }

  /** STARTING|RUNNING -> SUCCEEDED: the attempt exited 0. */
  moveToSucceeded(jobId: string, attempt: number, now: number, statusReason: string): JobRecord | undefined {
    return this.ended(guard(() => this.jobs.transition(jobId, STARTED, 'SUCCEEDED', (r) => {
      if (r.internal.attempt !== attempt) throw new StaleAttempt();
      closeAttempt(r, now, { exitCode: 0, statusReason });
      r.detail.statusReason = statusReason;
      r.detail.stoppedAt = now;
    })));
  }

  /** STARTING|RUNNING -> FAILED: the attempt ended badly and no retry is left. */
  moveToFailedAfterAttempt(jobId: string, attempt: number, now: number, exit: AttemptExit): JobRecord | undefined {
    return this.ended(guard(() => this.jobs.transition(jobId, STARTED, 'FAILED', (r) => {
      if (r.internal.attempt !== attempt) throw new StaleAttempt();
      closeAttempt(r, now, exit);
      r.detail.statusReason = exit.statusReason;
      r.detail.stoppedAt = now;
      if (r.internal.terminationRequested !== undefined) r.detail.isTerminated = true;
    })));
  }

  /** STARTING|RUNNING -> RUNNABLE: the attempt failed and the retry strategy asks for another. */
  moveToRetry(jobId: string, attempt: number, now: number, exit: AttemptExit): JobRecord | undefined {
    return guard(() => this.jobs.transition(jobId, STARTED, 'RUNNABLE', (r) => {
      if (r.internal.attempt !== attempt) throw new StaleAttempt();
      closeAttempt(r, now, exit);
      r.internal.runnableSince = now;
      delete r.internal.computeEnvironmentArn;
    }));
  }

  /** SUBMITTED|PENDING|RUNNABLE -> FAILED: cancelled, terminated, or a dependency failed. */
  moveToFailedBeforeStart(jobId: string, now: number, statusReason: string, flag?: 'isCancelled' | 'isTerminated'): JobRecord | undefined {
    return this.ended(
      this.jobs.transition(jobId, ACTIVE_BEFORE_START, 'FAILED', (r) => {
        r.detail.statusReason = statusReason;
        r.detail.stoppedAt = now;
        if (flag) r.detail[flag] = true;
      }),
    );
  }

  /** SUBMITTED|RUNNABLE -> FAILED: CancelJob on a job that waits for no dependency (isCancelled, the reason). */
  moveToCancelled(jobId: string, now: number, reason: string): JobRecord | undefined {
    return this.ended(
      this.jobs.transition(jobId, ['SUBMITTED', 'RUNNABLE'], 'FAILED', (r) => {
        r.detail.statusReason = reason;
        r.detail.stoppedAt = now;
        r.detail.isCancelled = true;
      }),
    );
  }

  /**
   * One of `statuses` -> unchanged: CancelJob on a job that is waiting (a PENDING job for its
   * dependencies, a parent for its children). The first reason is kept in `cancelRequested` and
   * shown at once (statusReason, isCancelled); job-graph.ts ends the job FAILED with it. Returns
   * the record, or undefined when the job is in none of `statuses`.
   */
  recordCancellation(jobId: string, statuses: readonly JobStatus[], reason: string): JobRecord | undefined {
    const current = this.jobs.get(jobId);
    if (!current || !statuses.includes(current.detail.status)) return undefined;
    if (current.internal.cancelRequested !== undefined) return current; // a repeated CancelJob changes nothing
    const status = current.detail.status;
    return this.jobs.transition(jobId, [status], status, (r) => {
      r.internal.cancelRequested = reason;
      r.detail.statusReason = reason;
      r.detail.isCancelled = true;
    });
  }

  /** SUBMITTED|PENDING -> SUCCEEDED: an array parent whose children all succeeded. */
  moveParentToSucceeded(jobId: string, now: number): JobRecord | undefined {
    return this.ended(
      this.jobs.transition(jobId, ['SUBMITTED', 'PENDING'], 'SUCCEEDED', (r) => {
        r.detail.stoppedAt = now;
      }),
    );
  }

  /** STARTING|RUNNING -> FAILED: the attempt was lost (batchlink restarted, host gone). */
  moveToLost(jobId: string, now: number, statusReason: string, containerReason: string): JobRecord | undefined {
    return this.ended(
      this.jobs.transition(jobId, STARTED, 'FAILED', (r) => {
        closeAttempt(r, now, { statusReason, reason: containerReason });
        r.detail.statusReason = statusReason;
        r.detail.stoppedAt = now;
      }),
    );
  }
}

export interface AttemptExit {
  exitCode?: number;
  reason?: string;
  statusReason: string;
}

/** An exit report for an attempt that is no longer the current one: ignored. */
class StaleAttempt extends Error {}

function guard(fn: () => JobRecord | undefined): JobRecord | undefined {
  try {
    return fn();
  } catch (error) {
    if (error instanceof StaleAttempt) return undefined;
    throw error;
  }
}

function closeAttempt(r: JobRecord, now: number, exit: { exitCode?: number; reason?: string; statusReason: string }): void {
  const container = r.detail.container ?? {};
  if (exit.exitCode !== undefined) container.exitCode = exit.exitCode;
  else delete container.exitCode;
  if (exit.reason !== undefined) container.reason = exit.reason;
  r.detail.container = container;
  const attempt: AttemptDetail = {
    container: {
      ...(exit.exitCode !== undefined ? { exitCode: exit.exitCode } : {}),
      ...(exit.reason !== undefined ? { reason: exit.reason } : {}),
      ...(container.logStreamName ? { logStreamName: container.logStreamName } : {}),
      ...(container.taskArn ? { taskArn: container.taskArn } : {}),
    },
    startedAt: r.internal.attemptStartedAt ?? now,
    stoppedAt: now,
    statusReason: exit.statusReason,
  };
  r.detail.attempts = [...r.detail.attempts, attempt];
  delete r.internal.attemptStartedAt;
}
