/**
 * RUNNABLE jobs that can never start where their queue sends them: they carry AWS's
 * blocked-queue statusReason (capacity.ts) while they wait, and a queue's
 * jobStateTimeLimitActions cancel those that carried the action's reason for maxTimeSeconds
 * (Batch User Guide, "Jobs stuck in a RUNNABLE status" and "Automatic remediation with
 * jobStateTimeLimitActions").
 */
import type { Clock } from '../core/clock.js';
import type { Scope } from '../core/context.js';
import type { Capacity } from './capacity.js';
import { blockedReason, isBlockedReason, needOf } from './capacity.js';
import type { JobRepository } from './job-repository.js';
import type { JobTransitions } from './job-transitions.js';
import type { JobQueue, JobRecord } from './model.js';

export class BlockedJobs {
  constructor(
    private readonly jobs: JobRepository,
    private readonly transitions: JobTransitions,
    private readonly clock: Clock,
  ) {}

  /**
   * The records that could start on one of these environments once capacity is free; the others
   * get the blocked reason (and lose it again when an environment changes so that they fit).
   * Multi-node nodes are judged as a whole gang (gang-placement.ts) and always kept.
   */
  withoutBlocked(records: JobRecord[], capacities: readonly Capacity[]): JobRecord[] {
    const verdicts = new Map<string, string | undefined>();
    return records.filter((record) => {
      if (record.internal.role === 'mnpNode') return true;
      const need = needOf(record);
      const key = `${need.vcpus}/${need.memory}/${need.gpus}`;
      if (!verdicts.has(key)) verdicts.set(key, blockedReason([need], capacities, false));
      const reason = verdicts.get(key);
      this.mark(record, reason);
      return reason === undefined;
    });
  }

  /** Sets (or, with undefined, clears) a RUNNABLE job's blocked reason, and when it was set. */
  mark(record: JobRecord, reason: string | undefined): void {
    const current = record.detail.statusReason;
    if (reason === undefined ? !isBlockedReason(current) : current === reason) return;
    if (reason === undefined) {
      delete record.detail.statusReason;
      delete record.internal.blockedSince;
    } else {
      record.detail.statusReason = reason;
      record.internal.blockedSince = this.clock.now();
    }
    this.jobs.save(record);
  }

  /**
   * Cancels each RUNNABLE job (up to `limit` per queue and action) whose statusReason has carried
   * an action's reason — the code before " - " — for its maxTimeSeconds, with AWS's
   * "Canceled by JobStateTimeLimit action due to reason: …"; jobs RUNNABLE for another reason,
   * or none, are left alone. Returns how many were cancelled.
   */
  enforceTimeLimits(queues: Array<{ scope: Scope; queue: JobQueue }>, limit: number): number {
    const now = this.clock.now();
    let n = 0;
    for (const { scope, queue } of queues) {
      const actions = queue.jobStateTimeLimitActions ?? [];
      if (actions.length === 0) continue;
      const { records } = this.jobs.list({ scope, queueArn: queue.jobQueueArn, statuses: ['RUNNABLE'], limit });
      for (const action of actions) {
        const cutoff = now - action.maxTimeSeconds * 1000;
        for (const record of records) {
          if (record.detail.statusReason?.split(' - ', 1)[0] !== action.reason) continue;
          if ((record.internal.blockedSince ?? record.internal.runnableSince ?? record.detail.createdAt) > cutoff) continue;
          const reason = `Canceled by JobStateTimeLimit action due to reason: ${action.reason}`;
          if (this.transitions.moveToFailedBeforeStart(record.detail.jobId, now, reason, 'isCancelled')) n++;
        }
      }
    }
    return n;
  }
}
