/**
 * Quota shares: virtual queues inside a job queue whose scheduling policy is a quota-share
 * policy. Create, describe, list (per queue), update, delete. ARN
 * `job-queue/<queue>/quota-share/<name>` (Service Authorization Reference). batchlink settles
 * them VALID at once; deletion needs DISABLED.
 */
import { buildArn, parseArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { clientError, pageList, resourceName, v } from './errors.js';
import type { JobQueues } from './job-queues.js';
import { readCapacityLimits, tagsOnCreate } from './resource-helpers.js';
import type { QuotaShare } from './scheduling-model.js';
import type { SchedulingPolicies } from './scheduling-policies.js';

const STATES = ['ENABLED', 'DISABLED'] as const;
const STRATEGIES = ['RESERVE', 'LEND', 'LEND_AND_BORROW'] as const;
const PREEMPTION = ['ENABLED', 'DISABLED'] as const;
/** A quota share's limits may be 0 and must name their unit. */
const QUOTA_SHARE_LIMITS = { minCapacity: 0 };

export class QuotaShares {
  constructor(
    private readonly deps: BatchDeps,
    private readonly queues: JobQueues,
    private readonly policies: SchedulingPolicies,
  ) {}

  find(scope: Scope, arn: string): QuotaShare | undefined {
    const parsed = parseArn(arn);
    if (!parsed || parsed.account !== scope.accountId || parsed.region !== scope.region) return undefined;
    const match = /^job-queue\/([^/]+)\/quota-share\/([^/]+)$/.exec(parsed.resource);
    if (!match) return undefined;
    const share = this.deps.quotaShares.get(scope, `${match[1]}/${match[2]}`);
    return share && share.quotaShareArn === arn ? share : undefined;
  }

  /** The quota share `name` of a queue (SubmitServiceJob's quotaShareName). */
  byName(scope: Scope, queueName: string, name: string): QuotaShare | undefined {
    return this.deps.quotaShares.get(scope, `${queueName}/${name}`);
  }

  create(scope: Scope, input: Input): { quotaShareName: string; quotaShareArn: string } {
    const name = resourceName(input, 'quotaShareName');
    const queueRef = v.requireString(input, 'jobQueue');
    const capacityLimits = readCapacityLimits(input, true, QUOTA_SHARE_LIMITS)!;
    const resourceSharingConfiguration = readSharing(input, true)!;
    const preemptionConfiguration = readPreemption(input, true)!;
    const state = v.optionalEnum(input, 'state', STATES) ?? 'ENABLED';
    const tags = tagsOnCreate(input);
    return this.deps.uow.transaction(() => {
      const queue = this.queues.find(scope, queueRef);
      if (!queue || queue.status === 'DELETING') throw clientError(`Job Queue ${queueRef} does not exist`);
      if (queue.status !== 'VALID') throw clientError(`Job Queue ${queue.jobQueueArn} is ${queue.status}; it must be VALID.`);
      const policy = queue.schedulingPolicyArn ? this.policies.find(scope, queue.schedulingPolicyArn) : undefined;
      if (!policy?.quotaSharePolicy) throw clientError(`Job Queue ${queue.jobQueueArn} does not have a quota share scheduling policy.`);
      const arn = buildArn('batch', scope.region, scope.accountId, `job-queue/${queue.jobQueueName}/quota-share/${name}`);
      const share: QuotaShare = {
        quotaShareName: name,
        quotaShareArn: arn,
        jobQueueArn: queue.jobQueueArn,
        capacityLimits,
        resourceSharingConfiguration,
        preemptionConfiguration,
        state,
        status: 'VALID',
        tags,
      };
      if (!this.deps.quotaShares.insert(scope, `${queue.jobQueueName}/${name}`, share)) throw clientError('Object already exists');
      return { quotaShareName: name, quotaShareArn: arn };
    });
  }

  describe(scope: Scope, input: Input): QuotaShare {
    const arn = v.requireString(input, 'quotaShareArn');
    return this.require(scope, arn);
  }

  list(scope: Scope, input: Input): { quotaShares: Array<Omit<QuotaShare, 'tags'>>; nextToken?: string } {
    const queueRef = v.requireString(input, 'jobQueue');
    const queue = this.queues.find(scope, queueRef);
    if (!queue) throw clientError(`Job Queue ${queueRef} does not exist`);
    const all = this.deps.quotaShares.list(scope).filter((s) => s.jobQueueArn === queue.jobQueueArn);
    const { page, nextToken } = pageList(all, input);
    return { quotaShares: page.map(({ tags: _tags, ...rest }) => rest), ...(nextToken ? { nextToken } : {}) };
  }

  update(scope: Scope, input: Input): { quotaShareName: string; quotaShareArn: string } {
    const arn = v.requireString(input, 'quotaShareArn');
    const capacityLimits = readCapacityLimits(input, false, QUOTA_SHARE_LIMITS);
    const sharing = readSharing(input, false);
    const preemption = readPreemption(input, false);
    const state = v.optionalEnum(input, 'state', STATES);
    return this.deps.uow.transaction(() => {
      const share = this.require(scope, arn);
      if (capacityLimits) share.capacityLimits = capacityLimits;
      if (sharing) share.resourceSharingConfiguration = sharing;
      if (preemption) share.preemptionConfiguration = preemption;
      if (state) share.state = state;
      this.save(scope, share);
      return { quotaShareName: share.quotaShareName, quotaShareArn: share.quotaShareArn };
    });
  }

  delete(scope: Scope, input: Input): void {
    const arn = v.requireString(input, 'quotaShareArn');
    this.deps.uow.transaction(() => {
      const share = this.require(scope, arn);
      if (share.state !== 'DISABLED') throw clientError('Cannot delete, quota share must be DISABLED first');
      this.deps.quotaShares.delete(scope, keyOf(share));
    });
  }

  /** A deleted job queue takes its quota shares with it. */
  removeForQueue(scope: Scope, jobQueueArn: string): void {
    for (const share of this.deps.quotaShares.list(scope)) {
      if (share.jobQueueArn === jobQueueArn) this.deps.quotaShares.delete(scope, keyOf(share));
    }
  }

  save(scope: Scope, share: QuotaShare): void {
    this.deps.quotaShares.put(scope, keyOf(share), share);
  }

  private require(scope: Scope, arn: string): QuotaShare {
    const share = this.find(scope, arn);
    if (!share) throw clientError(`Quota share ${arn} does not exist`);
    return share;
  }
}

function keyOf(share: QuotaShare): string {
  return `${share.jobQueueArn.split('/').pop() ?? ''}/${share.quotaShareName}`;
}

function readSharing(input: Input, required: boolean): QuotaShare['resourceSharingConfiguration'] | undefined {
  const raw = v.optionalObject(input, 'resourceSharingConfiguration');
  if (!raw) {
    if (required) throw clientError('resourceSharingConfiguration is required.');
    return undefined;
  }
  const strategy = v.requireEnum(raw, 'strategy', STRATEGIES);
  const borrowLimit = v.optionalInteger(raw, 'borrowLimit', { min: -1 });
  if (borrowLimit !== undefined && strategy !== 'LEND_AND_BORROW') {
    throw clientError('resourceSharingConfiguration.borrowLimit can only be set with the LEND_AND_BORROW strategy.');
  }
  return strategy === 'LEND_AND_BORROW' ? { strategy, borrowLimit: borrowLimit ?? -1 } : { strategy };
}

function readPreemption(input: Input, required: boolean): QuotaShare['preemptionConfiguration'] | undefined {
  const raw = v.optionalObject(input, 'preemptionConfiguration');
  if (!raw) {
    if (required) throw clientError('preemptionConfiguration is required.');
    return undefined;
  }
  return { inSharePreemption: v.requireEnum(raw, 'inSharePreemption', PREEMPTION) };
}
