/**
 * Job queues: create, describe, update, delete. A queue orders up to three compute
 * environments of one kind (EC2/SPOT or FARGATE); jobs dispatch by queue priority (higher
 * first), then environment order. Deleting a queue needs DISABLED; its jobs are ended.
 */
import { buildArn, parseArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import { FrozenReads } from '../core/frozen-reads.js';
import type { Input } from '../core/validate.js';
import type { ComputeEnvironments } from './compute-environments.js';
import { isFargate } from './compute-environments.js';
import type { BatchDeps } from './deps.js';
import { QUOTAS } from './deps.js';
import { clientError, pageList, resourceName, v } from './errors.js';
import type { ComputeEnvironmentOrder, JobQueue } from './model.js';

const STATES = ['ENABLED', 'DISABLED'] as const;

// --- hooks for scheduling policies and service environments (scheduling-policies.ts,
// service-environments.ts); BatchDomain sets them. ---
const QUEUE_TYPES = ['ECS', 'ECS_FARGATE', 'ECS_MANAGED_INSTANCES', 'EKS', 'SAGEMAKER_TRAINING'] as const;
export interface JobQueueHooks {
  /** Throws unless `arn` names an existing policy this queue (new, or `existing`) may use. */
  checkSchedulingPolicy(scope: Scope, arn: string, existing?: JobQueue): void;
  /** Validates a SAGEMAKER_TRAINING queue's serviceEnvironmentOrder; returns it with ARNs. */
  resolveServiceEnvironmentOrder(scope: Scope, raw: unknown): unknown[];
}

/** True for a SAGEMAKER_TRAINING (service) queue; refuses mixing it with compute environments. */
function isServiceQueue(input: Input, type: string | undefined): boolean {
  const service = type === 'SAGEMAKER_TRAINING' || input.serviceEnvironmentOrder !== undefined;
  if (!service) return false;
  if (type !== undefined && type !== 'SAGEMAKER_TRAINING') throw clientError('serviceEnvironmentOrder is only valid for job queues of type SAGEMAKER_TRAINING.');
  if (input.computeEnvironmentOrder !== undefined) throw clientError("A job queue can't have both a serviceEnvironmentOrder and a computeEnvironmentOrder.");
  return true;
}
// --- end hooks ---

export class JobQueues {
  private readonly frozen: FrozenReads<JobQueue>;

  constructor(
    private readonly deps: BatchDeps,
    private readonly environments: ComputeEnvironments,
  ) {
    this.frozen = new FrozenReads(() => `${deps.jobQueues.revision()}:${deps.uow.rollbacks?.() ?? 0}`);
  }

  hooks?: JobQueueHooks;

  private serviceOrder(scope: Scope, input: Input): unknown[] {
    if (!this.hooks) throw clientError('Service job queues (serviceEnvironmentOrder) are not supported by batchlink yet.');
    return this.hooks.resolveServiceEnvironmentOrder(scope, input.serviceEnvironmentOrder);
  }

  find(scope: Scope, nameOrArn: string): JobQueue | undefined {
    const name = nameOrArn.startsWith('arn:') ? (parseArn(nameOrArn)?.resource.split('/')[1] ?? '') : nameOrArn;
    const queue = this.deps.jobQueues.get(scope, name);
    if (queue && nameOrArn.startsWith('arn:') && queue.jobQueueArn !== nameOrArn) return undefined;
    return queue;
  }

  /** `find` for readers that do not change the queue (SubmitJob): a frozen copy, parsed once per write. */
  findReadOnly(scope: Scope, nameOrArn: string): Readonly<JobQueue> | undefined {
    return this.frozen.get(`${scope.accountId}\0${scope.region}\0${nameOrArn}`, () => this.find(scope, nameOrArn));
  }

  /** Every queue in every account, highest priority first (the scheduler's dispatch order). */
  allByPriority(): Array<{ scope: Scope; queue: JobQueue }> {
    return this.deps.jobQueues
      .listAll()
      .map(({ scope, doc }) => ({ scope, queue: doc }))
      .sort((a, b) => b.queue.priority - a.queue.priority);
  }

  queuesUsing(scope: Scope, ceArn: string): string[] {
    return this.deps.jobQueues
      .list(scope)
      .filter((q) => q.computeEnvironmentOrder.some((o) => o.computeEnvironment === ceArn))
      .map((q) => q.jobQueueArn);
  }

  create(scope: Scope, input: Input): { jobQueueName: string; jobQueueArn: string } {
    const name = resourceName(input, 'jobQueueName');
    const state = v.optionalEnum(input, 'state', STATES) ?? 'ENABLED';
    const priority = v.requireInteger(input, 'priority', { min: 0, max: 1000 });
    const schedulingPolicyArn = v.optionalString(input, 'schedulingPolicyArn');
    const tags = v.optionalStringMap(input, 'tags');
    const limits = this.timeLimitActions(input);
    const queueType = v.optionalEnum(input, 'jobQueueType', QUEUE_TYPES);
    const serviceQueue = isServiceQueue(input, queueType);
    const arn = buildArn('batch', scope.region, scope.accountId, `job-queue/${name}`);
    return this.deps.uow.transaction(() => {
      if (schedulingPolicyArn) this.hooks?.checkSchedulingPolicy(scope, schedulingPolicyArn);
      const order = serviceQueue ? [] : this.resolveOrder(scope, input);
      const serviceEnvironmentOrder = serviceQueue ? this.serviceOrder(scope, input) : undefined;
      const kind = serviceQueue ? 'SAGEMAKER_TRAINING' : this.kindOf(scope, order);
      if (queueType !== undefined && queueType !== kind) throw clientError(`jobQueueType ${queueType} does not match the queue's compute environments (${kind}).`);
      if (this.deps.jobQueues.count(scope) >= QUOTAS.jobQueues) {
        throw clientError(`Maximum number of job queues (${QUOTAS.jobQueues}) reached for this account in this Region.`);
      }
      const queue: JobQueue = {
        jobQueueName: name,
        jobQueueArn: arn,
        state,
        status: 'CREATING',
        statusReason: 'Creating job queue',
        priority,
        computeEnvironmentOrder: order,
        ...(schedulingPolicyArn ? { schedulingPolicyArn } : {}),
        jobStateTimeLimitActions: limits ?? [],
        tags: tags ?? {},
        jobQueueType: kind,
        ...(serviceEnvironmentOrder ? { serviceEnvironmentOrder } : {}),
      };
      if (!this.deps.jobQueues.insert(scope, name, queue)) throw clientError('Object already exists');
      return { jobQueueName: name, jobQueueArn: arn };
    });
  }

  describe(scope: Scope, input: Input): { jobQueues: JobQueue[]; nextToken?: string } {
    const wanted = v.optionalStringList(input, 'jobQueues', { max: 100 });
    let all = this.deps.jobQueues.list(scope);
    if (wanted && wanted.length > 0) all = all.filter((q) => wanted.includes(q.jobQueueName) || wanted.includes(q.jobQueueArn));
    const { page, nextToken } = pageList(all, input);
    return { jobQueues: page, ...(nextToken ? { nextToken } : {}) };
  }

  update(scope: Scope, input: Input): { jobQueueName: string; jobQueueArn: string } {
    const ref = v.requireString(input, 'jobQueue');
    const state = v.optionalEnum(input, 'state', STATES);
    const priority = v.optionalInteger(input, 'priority', { min: 0, max: 1000 });
    const schedulingPolicyArn = v.optionalString(input, 'schedulingPolicyArn');
    const limits = this.timeLimitActions(input);
    return this.deps.uow.transaction(() => {
      const queue = this.find(scope, ref);
      if (!queue || queue.status === 'DELETING') throw clientError(`${ref} does not exist`);
      if (state) queue.state = state;
      if (priority !== undefined) queue.priority = priority;
      if (schedulingPolicyArn) {
        this.hooks?.checkSchedulingPolicy(scope, schedulingPolicyArn, queue);
        queue.schedulingPolicyArn = schedulingPolicyArn;
      }
      if (limits) queue.jobStateTimeLimitActions = limits;
      if (input.serviceEnvironmentOrder !== undefined) {
        if (queue.jobQueueType !== 'SAGEMAKER_TRAINING') throw clientError('serviceEnvironmentOrder is only valid for job queues of type SAGEMAKER_TRAINING.');
        queue.serviceEnvironmentOrder = this.serviceOrder(scope, input);
      }
      if (input.computeEnvironmentOrder !== undefined && queue.jobQueueType === 'SAGEMAKER_TRAINING') {
        throw clientError('computeEnvironmentOrder is not valid for job queues of type SAGEMAKER_TRAINING.');
      }
      if (input.computeEnvironmentOrder !== undefined) {
        queue.computeEnvironmentOrder = this.resolveOrder(scope, input);
        queue.jobQueueType = this.kindOf(scope, queue.computeEnvironmentOrder);
      }
      queue.status = 'UPDATING';
      queue.statusReason = 'Updating job queue';
      this.deps.jobQueues.put(scope, queue.jobQueueName, queue);
      return { jobQueueName: queue.jobQueueName, jobQueueArn: queue.jobQueueArn };
    });
  }

  delete(scope: Scope, input: Input): void {
    const ref = v.requireString(input, 'jobQueue');
    this.deps.uow.transaction(() => {
      const queue = this.find(scope, ref);
      if (!queue) throw clientError(`${ref} does not exist`);
      if (queue.status === 'DELETING') return;
      if (queue.state !== 'DISABLED') throw clientError('Cannot delete, job queue must be DISABLED first');
      queue.status = 'DELETING';
      queue.statusReason = 'Deleting job queue';
      this.deps.jobQueues.put(scope, queue.jobQueueName, queue);
    });
  }

  /** Scheduler pass: settles CREATING/UPDATING queues; returns queues ready to be removed. */
  settle(): Array<{ scope: Scope; queue: JobQueue }> {
    const deleting: Array<{ scope: Scope; queue: JobQueue }> = [];
    for (const { scope, id, doc } of this.deps.jobQueues.listAll()) {
      if (doc.status === 'CREATING' || doc.status === 'UPDATING') {
        doc.status = 'VALID';
        doc.statusReason = 'JobQueue Healthy';
        this.deps.jobQueues.put(scope, id, doc);
      } else if (doc.status === 'DELETING') {
        deleting.push({ scope, queue: doc });
      }
    }
    return deleting;
  }

  remove(scope: Scope, queue: JobQueue): void {
    this.deps.jobQueues.delete(scope, queue.jobQueueName);
  }

  private resolveOrder(scope: Scope, input: Input): ComputeEnvironmentOrder[] {
    const raw = v.optionalList(input, 'computeEnvironmentOrder');
    if (!raw || raw.length === 0) throw clientError('computeEnvironmentOrder must contain at least one compute environment.');
    if (raw.length > QUOTAS.computeEnvironmentsPerQueue) {
      throw clientError(`A job queue can have at most ${QUOTAS.computeEnvironmentsPerQueue} compute environments.`);
    }
    const seenOrders = new Set<number>();
    const order = raw.map((entry, i) => {
      if (!entry || typeof entry !== 'object') throw clientError(`computeEnvironmentOrder[${i}] must be a structure.`);
      const e = entry as Input;
      const position = v.requireInteger(e, 'order', { min: 0 });
      const ref = v.requireString(e, 'computeEnvironment');
      if (seenOrders.has(position)) throw clientError('computeEnvironmentOrder entries must have distinct order values.');
      seenOrders.add(position);
      const ce = this.environments.find(scope, ref);
      if (!ce || ce.status === 'DELETING') throw clientError(`computeEnvironment ${ref} does not exist`);
      if (ce.status === 'INVALID') throw clientError(`computeEnvironment ${ref} is INVALID: ${ce.statusReason}`);
      return { order: position, computeEnvironment: ce.computeEnvironmentArn };
    });
    const kinds = new Set(order.map((o) => isFargate(this.environments.find(scope, o.computeEnvironment)!)));
    if (kinds.size > 1) throw clientError('A job queue cannot mix Fargate and EC2 compute environments.');
    return order.sort((a, b) => a.order - b.order);
  }

  private kindOf(scope: Scope, order: ComputeEnvironmentOrder[]): string {
    const first = order[0] && this.environments.find(scope, order[0].computeEnvironment);
    return first && isFargate(first) ? 'ECS_FARGATE' : 'ECS';
  }

  private timeLimitActions(input: Input): JobQueue['jobStateTimeLimitActions'] | undefined {
    const raw = v.optionalList(input, 'jobStateTimeLimitActions');
    if (!raw) return undefined;
    if (raw.length > 5) throw clientError('jobStateTimeLimitActions can have at most 5 entries.');
    return raw.map((entry) => {
      const e = (entry ?? {}) as Input;
      return {
        reason: v.requireString(e, 'reason', { max: 5000 }),
        state: v.requireEnum(e, 'state', ['RUNNABLE'] as const),
        maxTimeSeconds: v.requireInteger(e, 'maxTimeSeconds', { min: 600, max: 86400 }),
        action: v.requireEnum(e, 'action', ['CANCEL'] as const),
      };
    });
  }
}
