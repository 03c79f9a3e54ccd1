/**
 * Scheduling policies (fair share or quota share): create, describe, list, update, delete.
 * ARN `scheduling-policy/<name>`. A policy is one kind for life; deleting one a job queue
 * still names is refused. `weightOf` gives the fair-share weight of a share identifier.
 */
import { buildArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { clientError, pageList, resourceName, v } from './errors.js';
import type { JobQueue } from './model.js';
import { nameFromRef, numberIn, structList, tagsOnCreate } from './resource-helpers.js';
import type { FairsharePolicy, SchedulingPolicy, ShareAttributes } from './scheduling-model.js';

const SHARE_IDENTIFIER = /^[A-Za-z0-9]{1,255}\*?$/;
const MAX_SHARES = 500;

export class SchedulingPolicies {
  constructor(private readonly deps: BatchDeps) {}

  find(scope: Scope, arn: string): SchedulingPolicy | undefined {
    const name = nameFromRef(scope, arn, 'scheduling-policy');
    if (name === undefined || !arn.startsWith('arn:')) return undefined;
    const policy = this.deps.schedulingPolicies.get(scope, name);
    return policy && policy.arn === arn ? policy : undefined;
  }

  create(scope: Scope, input: Input): { name: string; arn: string } {
    const name = resourceName(input, 'name');
    const { fairsharePolicy, quotaSharePolicy } = readPolicies(input);
    const tags = tagsOnCreate(input);
    const arn = buildArn('batch', scope.region, scope.accountId, `scheduling-policy/${name}`);
    const policy: SchedulingPolicy = {
      name,
      arn,
      ...(quotaSharePolicy ? { quotaSharePolicy } : { fairsharePolicy: fairsharePolicy ?? defaults() }),
      tags,
    };
    this.deps.uow.transaction(() => {
      if (!this.deps.schedulingPolicies.insert(scope, name, policy)) throw clientError('Object already exists');
    });
    return { name, arn };
  }

  describe(scope: Scope, input: Input): { schedulingPolicies: SchedulingPolicy[] } {
    const arns = v.optionalStringList(input, 'arns', { max: 100 });
    if (!arns) throw clientError('arns is required.');
    const found: SchedulingPolicy[] = [];
    for (const arn of arns) {
      const policy = this.find(scope, arn);
      if (policy && !found.includes(policy)) found.push(policy);
    }
    return { schedulingPolicies: found };
  }

  list(scope: Scope, input: Input): { schedulingPolicies: Array<{ arn: string }>; nextToken?: string } {
    const { page, nextToken } = pageList(this.deps.schedulingPolicies.list(scope), input);
    return { schedulingPolicies: page.map((p) => ({ arn: p.arn })), ...(nextToken ? { nextToken } : {}) };
  }

  update(scope: Scope, input: Input): Record<string, never> {
    const arn = v.requireString(input, 'arn');
    const { fairsharePolicy, quotaSharePolicy } = readPolicies(input);
    this.deps.uow.transaction(() => {
      const policy = this.find(scope, arn);
      if (!policy) throw clientError(`${arn} does not exist`);
      if (fairsharePolicy && policy.quotaSharePolicy) throw clientError('fairsharePolicy cannot be set on a scheduling policy that has a quotaSharePolicy.');
      if (quotaSharePolicy && policy.fairsharePolicy) throw clientError('quotaSharePolicy cannot be set on a scheduling policy that has a fairsharePolicy.');
      if (fairsharePolicy) policy.fairsharePolicy = fairsharePolicy;
      if (quotaSharePolicy) policy.quotaSharePolicy = quotaSharePolicy;
      this.deps.schedulingPolicies.put(scope, policy.name, policy);
    });
    return {};
  }

  delete(scope: Scope, input: Input): void {
    const arn = v.requireString(input, 'arn');
    this.deps.uow.transaction(() => {
      const policy = this.find(scope, arn);
      if (!policy) throw clientError(`${arn} does not exist`);
      const users = this.deps.jobQueues.list(scope).filter((q) => q.schedulingPolicyArn === policy.arn);
      if (users.length > 0) throw clientError('Cannot delete, found existing JobQueue relationship');
      this.deps.schedulingPolicies.delete(scope, policy.name);
    });
  }

  /**
   * The job-queue hook: CreateJobQueue/UpdateJobQueue may only name an existing policy, and
   * (AWS) a FIFO queue cannot gain a policy later, nor a queue switch policy kinds.
   */
  checkForQueue(scope: Scope, arn: string, existing?: JobQueue): SchedulingPolicy {
    const policy = this.find(scope, arn);
    if (!policy) throw clientError(`schedulingPolicyArn ${arn} does not exist`);
    if (existing) {
      if (!existing.schedulingPolicyArn) {
        throw clientError('A job queue without a scheduling policy is a FIFO queue and cannot have a scheduling policy added.');
      }
      const before = this.find(scope, existing.schedulingPolicyArn);
      if (before && Boolean(before.quotaSharePolicy) !== Boolean(policy.quotaSharePolicy)) {
        throw clientError('schedulingPolicyArn cannot change a job queue between fair-share and quota-share scheduling.');
      }
    }
    return policy;
  }
}

/** The weight factor of a share identifier: exact entry, else the longest matching prefix entry, else 1. */
export function weightOf(policy: SchedulingPolicy | undefined, shareIdentifier: string): number {
  let best: ShareAttributes | undefined;
  for (const entry of policy?.fairsharePolicy?.shareDistribution ?? []) {
    if (entry.shareIdentifier === shareIdentifier) return entry.weightFactor ?? 1;
    if (entry.shareIdentifier.endsWith('*') && shareIdentifier.startsWith(entry.shareIdentifier.slice(0, -1))) {
      if (!best || entry.shareIdentifier.length > best.shareIdentifier.length) best = entry;
    }
  }
  return best?.weightFactor ?? 1;
}

function defaults(): FairsharePolicy {
  return { shareDecaySeconds: 0, computeReservation: 0, shareDistribution: [] };
}

function readPolicies(input: Input): { fairsharePolicy?: FairsharePolicy; quotaSharePolicy?: { idleResourceAssignmentStrategy: 'FIFO' } } {
  const fair = v.optionalObject(input, 'fairsharePolicy');
  const quota = v.optionalObject(input, 'quotaSharePolicy');
  if (fair && quota) throw clientError('Only one of fairsharePolicy or quotaSharePolicy can be set.');
  if (quota) return { quotaSharePolicy: { idleResourceAssignmentStrategy: v.requireEnum(quota, 'idleResourceAssignmentStrategy', ['FIFO'] as const) } };
  if (fair) return { fairsharePolicy: readFairshare(fair) };
  return {};
}

function readFairshare(input: Input): FairsharePolicy {
  const shareDecaySeconds = v.optionalInteger(input, 'shareDecaySeconds', { min: 0, max: 604800 }) ?? 0;
  const computeReservation = v.optionalInteger(input, 'computeReservation', { min: 0, max: 99 }) ?? 0;
  const raw = structList(input, 'shareDistribution') ?? [];
  if (raw.length > MAX_SHARES) throw clientError(`shareDistribution can have at most ${MAX_SHARES} entries.`);
  const shareDistribution = raw.map((entry) => {
    const shareIdentifier = v.requireString(entry, 'shareIdentifier', {
      pattern: SHARE_IDENTIFIER,
      patternText: 'can contain up to 255 letters and numbers, optionally followed by an asterisk (*)',
    });
    const weightFactor = numberIn(entry, 'weightFactor', 0.0001, 999.9999);
    return { shareIdentifier, ...(weightFactor !== undefined ? { weightFactor } : {}) };
  });
  checkOverlap(shareDistribution);
  return { shareDecaySeconds, computeReservation, shareDistribution };
}

/** AWS: share identifiers may not overlap (`UserA*` and `UserA1`, or the same one twice). */
function checkOverlap(shares: ShareAttributes[]): void {
  for (let i = 0; i < shares.length; i++) {
    for (let j = 0; j < shares.length; j++) {
      if (i === j) continue;
      const a = shares[i]!.shareIdentifier;
      const b = shares[j]!.shareIdentifier;
      const covers = a.endsWith('*') ? b.startsWith(a.slice(0, -1)) : a === b;
      if (covers) throw clientError(`shareDistribution entries overlap: ${a} and ${b}.`);
    }
  }
}
