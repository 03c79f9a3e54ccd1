/**
 * GetJobQueueSnapshot: the first 100 RUNNABLE jobs of a queue in dispatch order (FIFO queues:
 * oldest first; fair-share queues: the share with the least usage x weight factor next, higher
 * schedulingPriority first within a share) and the queue's capacity usage (vCPUs of STARTING
 * and RUNNING jobs; instances of service jobs), with per-share and per-quota-share breakdowns.
 */
import type { Scope } from '../core/context.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { clientError, v } from './errors.js';
import type { JobQueues } from './job-queues.js';
import type { JobQueue, JobRecord } from './model.js';
import type { SchedulingPolicy } from './scheduling-model.js';
import type { SchedulingPolicies } from './scheduling-policies.js';
import { weightOf } from './scheduling-policies.js';

const FRONT = 100;
const TOP_SHARES = 20;
const SCAN = 5000;

/** One queued item, compute job or service job, as the ordering sees it. */
interface Queued {
  arn: string;
  share: string;
  priority: number;
  since: number;
  quantity: number;
  quotaShare?: string;
}

interface Usage {
  unit: string;
  share: string;
  quantity: number;
  quotaShare?: string;
}

export class QueueSnapshots {
  constructor(
    private readonly deps: BatchDeps,
    private readonly queues: JobQueues,
    private readonly policies: SchedulingPolicies,
  ) {}

  snapshot(scope: Scope, input: Input): Record<string, unknown> {
    const ref = v.requireString(input, 'jobQueue');
    const queue = this.queues.find(scope, ref);
    if (!queue) throw clientError(`Job Queue ${ref} does not exist`);
    const now = this.deps.clock.now();
    const policy = queue.schedulingPolicyArn ? this.policies.find(scope, queue.schedulingPolicyArn) : undefined;
    const { queued, usage } = queue.jobQueueType === 'SAGEMAKER_TRAINING' ? this.serviceJobs(scope, queue) : this.computeJobs(scope, queue);
    const ordered = policy?.fairsharePolicy ? fairShareOrder(queued, usage, policy) : queued.slice(0, FRONT);
    const entry = (q: Queued) => ({ jobArn: q.arn, earliestTimeAtPosition: q.since });

    const totals = new Map<string, number>();
    for (const u of usage) totals.set(u.unit, (totals.get(u.unit) ?? 0) + u.quantity);
    const unitDefault = queue.jobQueueType === 'SAGEMAKER_TRAINING' ? 'NUM_INSTANCES' : 'VCPU';
    const utilization: Record<string, unknown> = {
      totalCapacityUsage: totals.size > 0 ? [...totals].map(([capacityUnit, quantity]) => ({ capacityUnit, quantity })) : [{ capacityUnit: unitDefault, quantity: 0 }],
      lastUpdatedAt: now,
    };
    if (policy?.fairsharePolicy) utilization.fairshareUtilization = breakdown(usage, (u) => u.share, 'shareIdentifier', true);
    if (policy?.quotaSharePolicy) utilization.quotaShareUtilization = breakdown(usage, (u) => u.quotaShare ?? '', 'quotaShareName', false);

    const out: Record<string, unknown> = {
      frontOfQueue: { jobs: ordered.map(entry), lastUpdatedAt: now },
      queueUtilization: utilization,
    };
    if (policy?.quotaSharePolicy) {
      const firsts: Record<string, Array<{ jobArn: string; earliestTimeAtPosition: number }>> = {};
      for (const q of queued) if (q.quotaShare && !firsts[q.quotaShare]) firsts[q.quotaShare] = [entry(q)];
      out.frontOfQuotaShares = { quotaShares: firsts, lastUpdatedAt: now };
    }
    return out;
  }

  private computeJobs(scope: Scope, queue: JobQueue): { queued: Queued[]; usage: Usage[] } {
    const list = (statuses: Array<'RUNNABLE' | 'STARTING' | 'RUNNING'>) =>
      this.deps.jobs.list({ scope, queueArn: queue.jobQueueArn, statuses, limit: SCAN, oldestFirst: true }).records;
    return { queued: list(['RUNNABLE']).map(queuedOf), usage: list(['STARTING', 'RUNNING']).map(usageOf) };
  }

  private serviceJobs(scope: Scope, queue: JobQueue): { queued: Queued[]; usage: Usage[] } {
    const jobs = this.deps.serviceJobs.list(scope).filter((j) => j.detail.jobQueue === queue.jobQueueArn).map((j) => j.detail);
    const queued = jobs
      .filter((d) => d.status === 'RUNNABLE')
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((d) => ({
        arn: d.jobArn,
        share: d.shareIdentifier ?? '',
        priority: d.schedulingPriority ?? 0,
        since: d.createdAt,
        quantity: d.capacityUsage.reduce((n, c) => n + c.quantity, 0),
        ...(d.quotaShareName ? { quotaShare: d.quotaShareName } : {}),
      }));
    const usage = jobs
      .filter((d) => d.status === 'SCHEDULED' || d.status === 'STARTING' || d.status === 'RUNNING')
      .flatMap((d) => d.capacityUsage.map((c) => ({ unit: c.capacityUnit, share: d.shareIdentifier ?? '', quantity: c.quantity, ...(d.quotaShareName ? { quotaShare: d.quotaShareName } : {}) })));
    return { queued, usage };
  }
}

function queuedOf(r: JobRecord): Queued {
  return {
    arn: r.detail.jobArn,
    share: r.detail.shareIdentifier ?? '',
    priority: r.detail.schedulingPriority ?? 0,
    since: r.internal.runnableSince ?? r.detail.createdAt,
    quantity: r.internal.vcpus,
  };
}

function usageOf(r: JobRecord): Usage {
  return { unit: 'VCPU', share: r.detail.shareIdentifier ?? '', quantity: r.internal.vcpus };
}

/**
 * Fair-share dispatch order, as the scheduler's: repeatedly take the next job of the share
 * whose usage times its weight factor is lowest (a lower weight factor gets more capacity; ties:
 * the share whose next job waited longest), counting each taken job's capacity toward its share.
 */
function fairShareOrder(queued: Queued[], usage: Usage[], policy: SchedulingPolicy, limit = FRONT): Queued[] {
  const byShare = new Map<string, Queued[]>();
  for (const q of queued) byShare.set(q.share, [...(byShare.get(q.share) ?? []), q]);
  for (const list of byShare.values()) list.sort((a, b) => b.priority - a.priority || a.since - b.since);
  const used = new Map<string, number>();
  for (const u of usage) used.set(u.share, (used.get(u.share) ?? 0) + u.quantity);
  const out: Queued[] = [];
  while (out.length < limit) {
    let best: { share: string; score: number; head: Queued } | undefined;
    for (const [share, list] of byShare) {
      const head = list[0];
      if (!head) continue;
      const score = (used.get(share) ?? 0) * weightOf(policy, share);
      if (!best || score < best.score || (score === best.score && head.since < best.head.since)) best = { share, score, head };
    }
    if (!best) break;
    byShare.get(best.share)!.shift();
    used.set(best.share, (used.get(best.share) ?? 0) + best.head.quantity);
    out.push(best.head);
  }
  return out;
}

function breakdown(usage: Usage[], keyOf: (u: Usage) => string, field: string, withCount: boolean): Record<string, unknown> {
  const byKey = new Map<string, Map<string, number>>();
  for (const u of usage) {
    const units = byKey.get(keyOf(u)) ?? new Map<string, number>();
    units.set(u.unit, (units.get(u.unit) ?? 0) + u.quantity);
    byKey.set(keyOf(u), units);
  }
  const total = (units: Map<string, number>) => [...units.values()].reduce((a, b) => a + b, 0);
  const top = [...byKey]
    .sort((a, b) => total(b[1]) - total(a[1]))
    .slice(0, TOP_SHARES)
    .map(([key, units]) => ({ [field]: key, capacityUsage: [...units].map(([capacityUnit, quantity]) => ({ capacityUnit, quantity })) }));
  return { ...(withCount ? { activeShareCount: byKey.size } : {}), topCapacityUtilization: top };
}
