/**
 * What follows from a job ending: jobs that depend on it become RUNNABLE (all dependencies
 * succeeded) or FAILED ("Dependent Job failed"; CancelJob's reason for a job cancelled while it
 * waited), and a parent ends once its children have (array: SUCCEEDED if every child did, else
 * FAILED; multi-node: with its main node; a cancelled parent FAILED with the cancellation reason).
 * An array parent goes SUBMITTED -> PENDING when its first child becomes RUNNABLE. Work is
 * drained from a queue, not by recursion, so a failing SEQUENTIAL array of 10,000 children
 * cascades without deep stacks, and each parent is settled once per drain.
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
  private readonly parentsToSettle = new Set<string>();
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
    if (record.internal.role === 'arrayParent') return; // its first RUNNABLE child moves it (moveToRunnable)
    if (record.internal.role === 'mnpParent') {
      this.transitions.moveToPending(jobId);
      return;
    }
    const state = this.jobs.dependencyState(jobId);
    if (state.failed > 0) this.transitions.moveToFailedBeforeStart(jobId, this.clock.now(), DEPENDENCY_FAILED);
    else if (state.unfinished > 0) this.transitions.moveToPending(jobId);
    else this.moveToRunnable(record, this.clock.now());
  }

  /**
   * Runs `work`, holding back what follows from the jobs it ends until it is done, so that a
   * parent whose children end together (cancelled, say) is settled once.
   */
  deferred<T>(work: () => T): T {
    if (this.draining) return work();
    this.draining = true;
    try {
      const result = work();
      this.drain();
      return result;
    } finally {
      this.draining = false;
      this.queue.length = 0;
      this.parentsToSettle.clear();
    }
  }

  /** Stops a job (set by the domain: TerminateJob's path). */
  stop: (jobId: string, reason: string) => void = () => {};

  private ended(record: JobRecord): void {
    this.queue.push(record);
    if (!this.draining) this.deferred(() => undefined);
  }

  private drain(): void {
    for (;;) {
      // follow() may end more jobs: they join the queue and this loop reaches them.
      for (let i = 0; i < this.queue.length; i++) this.follow(this.queue[i] as JobRecord);
      this.queue.length = 0;
      const next = this.parentsToSettle.values().next();
      if (next.done) return;
      this.parentsToSettle.delete(next.value);
      this.settleParent(next.value, this.clock.now());
    }
  }

  private follow(record: JobRecord): void {
    const now = this.clock.now();
    for (const dependentId of this.jobs.dependentsOf(record.detail.jobId)) {
      const dependent = this.jobs.get(dependentId);
      if (dependent?.detail.status !== 'PENDING') continue;
      const state = this.jobs.dependencyState(dependentId);
      if (state.failed === 0 && state.unfinished > 0) continue; // still waiting
      // AWS: "A PENDING job is canceled after all dependency jobs are completed."
      if (this.endIfCancelled(dependent, now)) continue;
      if (state.failed > 0) this.transitions.moveToFailedBeforeStart(dependentId, now, DEPENDENCY_FAILED);
      else this.moveToRunnable(dependent, now);
    }
    const parentId = record.internal.parentId;
    if (parentId !== undefined) this.parentsToSettle.add(parentId);
  }

  /**
   * A job with nothing left to wait for becomes RUNNABLE, except a parent (its children run);
   * an array parent still SUBMITTED goes PENDING with it (AWS: "An array parent job is updated
   * to PENDING when any child job is updated to RUNNABLE").
   */
  private moveToRunnable(record: JobRecord, now: number): void {
    const { role, parentId } = record.internal;
    if (role === 'arrayParent' || role === 'mnpParent') return;
    if (!this.transitions.moveToRunnable(record.detail.jobId, now)) return;
    if (role === 'arrayChild' && parentId !== undefined) this.transitions.moveToPending(parentId);
  }

  /** A job cancelled while it waited ends FAILED with CancelJob's reason; true when it was. */
  private endIfCancelled(record: JobRecord, now: number): boolean {
    const reason = record.internal.cancelRequested;
    if (reason === undefined) return false;
    this.transitions.moveToFailedBeforeStart(record.detail.jobId, now, reason, 'isCancelled');
    return true;
  }

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
    // AWS: "The array parent job is canceled when all child jobs are completed."
    if (this.endIfCancelled(parent, now)) return;
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
    if (this.endIfCancelled(parent, now)) return;
    if (main.detail.status === 'SUCCEEDED') this.transitions.moveParentToSucceeded(parentId, now);
    else this.transitions.moveToFailedBeforeStart(parentId, now, main.detail.statusReason ?? 'Main node failed');
  }
}
