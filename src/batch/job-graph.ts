/**
 * What follows from a job ending: jobs that depend on it become RUNNABLE (all dependencies
 * succeeded) or FAILED ("Dependent Job failed"), and an array parent ends once all its children
 * have (SUCCEEDED if every child did, else FAILED). Work is drained from a queue, not by
 * recursion, so a failing SEQUENTIAL array of 10,000 children cascades without deep stacks.
 */
import type { Clock } from '../core/clock.js';
import type { JobRepository } from './job-repository.js';
import type { JobTransitions } from './job-transitions.js';
import type { JobRecord } from './model.js';

export const DEPENDENCY_FAILED = 'Dependent Job failed';
export const ARRAY_CHILD_FAILED = 'Array Child Job failed';
export const MAIN_NODE_ENDED = 'The main node of this multi-node parallel job ended';

export class JobGraph {
  private readonly queue: JobRecord[] = [];
  private draining = false;

  constructor(
    private readonly jobs: JobRepository,
    private readonly transitions: JobTransitions,
    private readonly clock: Clock,
  ) {
    transitions.onTerminal = (record) => this.ended(record);
  }

  /** Where a SUBMITTED job goes next, given its dependencies. */
  admit(record: JobRecord): void {
    const jobId = record.detail.jobId;
    if (record.internal.role === 'arrayParent' || record.internal.role === 'mnpParent') {
      this.transitions.moveToPending(jobId);
      return;
    }
    const state = this.jobs.dependencyState(jobId);
    if (state.failed > 0) this.transitions.moveToFailedBeforeStart(jobId, this.clock.now(), DEPENDENCY_FAILED);
    else if (state.unfinished > 0) this.transitions.moveToPending(jobId);
    else this.transitions.moveToRunnable(jobId, this.clock.now());
  }

  private ended(record: JobRecord): void {
    this.queue.push(record);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) this.follow(next);
    } finally {
      this.draining = false;
    }
  }

  private follow(record: JobRecord): void {
    const now = this.clock.now();
    for (const dependentId of this.jobs.dependentsOf(record.detail.jobId)) {
      const dependent = this.jobs.get(dependentId);
      if (dependent?.detail.status !== 'PENDING') continue;
      const state = this.jobs.dependencyState(dependentId);
      if (state.failed > 0) this.transitions.moveToFailedBeforeStart(dependentId, now, DEPENDENCY_FAILED);
      else if (state.unfinished === 0) this.transitions.moveToRunnable(dependentId, now);
    }
    const parentId = record.internal.parentId;
    if (parentId !== undefined) this.settleParent(parentId, now);
  }

  /** Stops a job (set by the domain: TerminateJob's path). */
  stop: (jobId: string, reason: string) => void = () => {};

  private settleParent(parentId: string, now: number): void {
    const parent = this.jobs.get(parentId);
    if (!parent || (parent.detail.status !== 'PENDING' && parent.detail.status !== 'SUBMITTED')) return;
    if (parent.internal.role === 'mnpParent') {
      this.settleMultiNode(parent, now);
      return;
    }
    const counts = this.jobs.childStatusCounts(parentId);
    const ended = (counts.SUCCEEDED ?? 0) + (counts.FAILED ?? 0);
    if (ended < (parent.internal.arraySize ?? 0)) return; // children still running or not yet spawned
    if ((counts.FAILED ?? 0) > 0) this.transitions.moveToFailedBeforeStart(parentId, now, ARRAY_CHILD_FAILED);
    else this.transitions.moveParentToSucceeded(parentId, now);
  }

  /** A multi-node job ends with its main node; the other nodes are stopped. */
  private settleMultiNode(parent: JobRecord, now: number): void {
    const parentId = parent.detail.jobId;
    const main = this.jobs.get(`${parentId}#${parent.internal.mainNode ?? 0}`);
    if (!main || (main.detail.status !== 'SUCCEEDED' && main.detail.status !== 'FAILED')) return;
    for (const childId of this.jobs.childIds(parentId)) {
      if (childId !== main.detail.jobId) this.stop(childId, MAIN_NODE_ENDED);
    }
    if (main.detail.status === 'SUCCEEDED') this.transitions.moveParentToSucceeded(parentId, now);
    else this.transitions.moveToFailedBeforeStart(parentId, now, main.detail.statusReason ?? 'Main node failed');
  }
}
