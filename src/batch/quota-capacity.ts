/**
 * Quota-share capacity for service jobs (AWS Batch user guide, "Quota shares" and "Preemption").
 * `shareAdmits`: does a job fit its share — its own capacity limit, or for a LEND_AND_BORROW share
 * capacity that lending shares leave idle, up to borrowLimit. `planPreemptions`: which running jobs
 * to stop so that blocked jobs can run — cross-share (capacity above another share's limit, i.e.
 * borrowed or above a lowered limit) and in-share (lower priority, when inSharePreemption is
 * ENABLED). Pure functions over the runner's view of what holds capacity where.
 */
import type { QuotaShare } from './scheduling-model.js';

/** A service job holding capacity: placed on a service environment, STARTING or RUNNING. */
export interface Holding {
  jobId: string;
  jobQueueArn: string;
  quotaShareName?: string;
  environmentArn: string;
  instances: number;
  schedulingPriority: number;
  /** When it started (or, not started yet, was placed): the tie-break between equal priorities. */
  startedAt: number;
  /** Being stopped by a preemption: it still holds its instances, but they are promised elsewhere. */
  preempting: boolean;
}

/** A RUNNABLE quota-share job the runner could not place, with its queue's shares and usable environments. */
export interface Blocked {
  jobId: string;
  jobQueueArn: string;
  quotaShareName: string;
  instances: number;
  schedulingPriority: number;
  shares: QuotaShare[];
  environments: Array<{ arn: string; limit: number }>;
}

/** Why a job is preempted: it holds borrowed capacity, capacity above its share's (lowered) limit, or a higher-priority job of its share needs room. */
export type PreemptionKind = 'borrowed' | 'overLimit' | 'inShare';

export interface Preemption {
  jobId: string;
  kind: PreemptionKind;
}

export function limitOf(share: QuotaShare): number {
  return share.capacityLimits.reduce((n, c) => n + c.maxCapacity, 0);
}

function total(holdings: readonly Pick<Holding, 'instances'>[]): number {
  return holdings.reduce((n, h) => n + h.instances, 0);
}

/** Enough of a holding to count a share's use. */
export type ShareUse = Pick<Holding, 'jobQueueArn' | 'quotaShareName' | 'instances'>;

function usedBy(holdings: readonly ShareUse[], jobQueueArn: string, shareName: string): number {
  return total(holdings.filter((h) => h.jobQueueArn === jobQueueArn && h.quotaShareName === shareName));
}

/**
 * A job of `instances` fits `share` (of a queue whose shares are `shares`) given what `holdings`
 * hold: within the share's limit; or, for LEND_AND_BORROW, within borrowLimit percent above it
 * (-1: no limit) from what ENABLED LEND/LEND_AND_BORROW shares leave idle — capacity their
 * `waiting` RUNNABLE jobs are about to use is not idle — less what borrowers already took.
 * A DISABLED share runs nothing.
 */
export function shareAdmits(share: QuotaShare, shares: readonly QuotaShare[], holdings: readonly ShareUse[], waiting: (shareName: string) => number, instances: number): boolean {
  if (share.state !== 'ENABLED') return false;
  const queue = share.jobQueueArn;
  const limit = limitOf(share);
  const used = usedBy(holdings, queue, share.quotaShareName);
  if (used + instances <= limit) return true;
  const sharing = share.resourceSharingConfiguration;
  if (sharing.strategy !== 'LEND_AND_BORROW') return false;
  const borrowLimit = sharing.borrowLimit ?? -1;
  const maxBorrow = borrowLimit < 0 ? Infinity : (limit * borrowLimit) / 100;
  if (used + instances - limit > maxBorrow) return false;
  let idle = 0;
  let borrowedByAll = 0;
  for (const other of shares) {
    const overLimit = usedBy(holdings, queue, other.quotaShareName) - limitOf(other);
    if (overLimit > 0) borrowedByAll += overLimit;
    if (other.quotaShareName === share.quotaShareName || other.state !== 'ENABLED' || other.resourceSharingConfiguration.strategy === 'RESERVE') continue;
    idle += Math.max(0, -overLimit - waiting(other.quotaShareName));
  }
  const extra = used + instances - limit - Math.max(0, used - limit); // what this job adds to the borrowing
  return extra <= idle - borrowedByAll;
}

/**
 * The selection rule (AWS documents only "a custom heuristic" over instances borrowed, priority
 * and duration): lowest schedulingPriority first, then the most recently started, then job id.
 */
export function preemptionOrder(a: Holding, b: Holding): number {
  return a.schedulingPriority - b.schedulingPriority || b.startedAt - a.startedAt || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0);
}

interface Claim extends Holding {
  /** A blocked job's place promised by this pass: it counts as used but is never a victim. */
  claim?: true;
}

interface Victim {
  holding: Claim;
  kind: PreemptionKind;
}

/**
 * The preemptions that let `blocked` (in dispatch order) run, preempting only as much as each
 * needs. A blocked job whose room is already being freed by earlier preemptions claims it and
 * preempts nothing more; a job that could run only by borrowing never preempts.
 */
export function planPreemptions(blocked: readonly Blocked[], holdings: readonly Holding[]): Preemption[] {
  let live: Claim[] = holdings.filter((h) => !h.preempting);
  const out: Preemption[] = [];
  for (const job of blocked) {
    const plan = planFor(job, live);
    if (!plan) continue;
    const victims = new Set(plan.victims.map((v) => v.holding));
    live = live.filter((h) => !victims.has(h));
    for (const v of plan.victims) out.push({ jobId: v.holding.jobId, kind: v.kind });
    live.push({
      jobId: job.jobId,
      jobQueueArn: job.jobQueueArn,
      quotaShareName: job.quotaShareName,
      environmentArn: plan.environmentArn,
      instances: job.instances,
      schedulingPriority: job.schedulingPriority,
      startedAt: Infinity,
      preempting: false,
      claim: true,
    });
  }
  return out;
}

function planFor(job: Blocked, live: readonly Claim[]): { environmentArn: string; victims: Victim[] } | undefined {
  const share = job.shares.find((s) => s.quotaShareName === job.quotaShareName);
  if (!share || share.state !== 'ENABLED') return undefined;
  const limit = limitOf(share);
  const n = job.instances;
  if (n > limit) return undefined;
  const inQueue = live.filter((h) => h.jobQueueArn === job.jobQueueArn);
  const mine = inQueue.filter((h) => h.quotaShareName === share.quotaShareName);
  // In-share: lower-priority jobs of the same share, when the share allows it.
  const lower = share.preemptionConfiguration.inSharePreemption === 'ENABLED' ? mine.filter((h) => !h.claim && h.schedulingPriority < job.schedulingPriority).sort(preemptionOrder) : [];
  const victims: Victim[] = [];
  let shareUsed = total(mine);
  for (const h of lower) {
    if (shareUsed + n <= limit) break;
    victims.push({ holding: h, kind: 'inShare' });
    shareUsed -= h.instances;
  }
  if (shareUsed + n > limit) return undefined;
  // Cross-share: what other shares of the queue hold above their own limits.
  const others = job.shares.filter((s) => s.quotaShareName !== share.quotaShareName);
  const overBy = new Map(others.map((s) => [s.quotaShareName, usedBy(inQueue, job.jobQueueArn, s.quotaShareName) - limitOf(s)]));
  const strategyOf = new Map(others.map((s) => [s.quotaShareName, s.resourceSharingConfiguration.strategy]));
  for (const env of job.environments) {
    const onEnv = live.filter((h) => h.environmentArn === env.arn);
    let free = env.limit - total(onEnv) + total(victims.filter((v) => v.holding.environmentArn === env.arn).map((v) => v.holding));
    const extra: Victim[] = [];
    const overLeft = new Map(overBy);
    const crossShare = onEnv.filter((h) => !h.claim && h.jobQueueArn === job.jobQueueArn && (overLeft.get(h.quotaShareName ?? '') ?? 0) > 0).sort(preemptionOrder);
    for (const h of crossShare) {
      if (free >= n) break;
      const name = h.quotaShareName ?? '';
      const left = overLeft.get(name) ?? 0;
      if (left <= 0) continue;
      overLeft.set(name, left - h.instances);
      extra.push({ holding: h, kind: strategyOf.get(name) === 'LEND_AND_BORROW' ? 'borrowed' : 'overLimit' });
      free += h.instances;
    }
    for (const h of lower) {
      if (free >= n) break;
      if (h.environmentArn !== env.arn || victims.some((v) => v.holding === h)) continue;
      extra.push({ holding: h, kind: 'inShare' });
      free += h.instances;
    }
    if (free >= n) return { environmentArn: env.arn, victims: [...victims, ...extra] };
  }
  return undefined;
}
