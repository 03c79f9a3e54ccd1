/**
 * CancelJob, as AWS's API reference describes it: a SUBMITTED or RUNNABLE job ends FAILED at once
 * (isCancelled, the reason as statusReason); a PENDING job keeps waiting with the cancellation
 * recorded and ends FAILED with the reason once its dependencies have completed (job-graph.ts);
 * an array parent still waiting cancels each child by these rules, children spawned later
 * included, and ends when every child has; jobs already STARTING or RUNNING are left alone (the
 * call still succeeds).
 */
import type { Clock } from '../core/clock.js';
import type { JobGraph } from './job-graph.js';
import type { JobRepository } from './job-repository.js';
import type { JobTransitions } from './job-transitions.js';
import type { JobRecord } from './model.js';

export class JobCancellation {
  constructor(
    private readonly jobs: JobRepository,
    private readonly transitions: JobTransitions,
    private readonly graph: JobGraph,
    private readonly clock: Clock,
  ) {}

  /** Cancels a job (call inside a transaction). */
  cancel(record: JobRecord, reason: string): void {
    this.graph.deferred(() => {
      const { role } = record.internal;
      if (role === 'arrayParent' || role === 'mnpParent') this.cancelParent(record, reason);
      else this.cancelOne(record.detail.jobId, reason);
    });
  }

  /** Children just spawned for an array parent cancelled before: SUBMITTED, so they end at once. */
  cancelSpawned(childIds: readonly string[], reason: string): void {
    this.graph.deferred(() => {
      for (const childId of childIds) this.cancelOne(childId, reason);
    });
  }

  private cancelOne(jobId: string, reason: string): void {
    if (this.transitions.moveToCancelled(jobId, this.clock.now(), reason)) return;
    this.transitions.recordCancellation(jobId, ['PENDING'], reason);
  }

  /**
   * A parent that is still waiting (SUBMITTED or PENDING) records the cancellation and cancels
   * its children; job-graph.ts ends it once they all have. A multi-node job with a node started
   * is running, so it is left alone. A repeated CancelJob changes nothing.
   */
  private cancelParent(record: JobRecord, reason: string): void {
    const parentId = record.detail.jobId;
    if (record.internal.cancelRequested !== undefined) return;
    if (record.internal.role === 'mnpParent') {
      const nodes = this.jobs.childStatusCounts(parentId);
      if ((nodes.STARTING ?? 0) + (nodes.RUNNING ?? 0) + (nodes.SUCCEEDED ?? 0) > 0) return;
    }
    if (!this.transitions.recordCancellation(parentId, ['SUBMITTED', 'PENDING'], reason)) return;
    for (const childId of this.jobs.childIds(parentId)) this.cancelOne(childId, reason);
  }
}
