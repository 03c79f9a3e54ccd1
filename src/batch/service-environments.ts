/**
 * Service environments (SAGEMAKER_TRAINING): create, describe, update, delete, and the
 * `serviceEnvironmentOrder` check for SAGEMAKER_TRAINING job queues. ARN
 * `service-environment/<name>`. batchlink settles them VALID at once (no capacity to
 * provision); deletion needs DISABLED and no job queue relationship, as for compute environments.
 */
import { buildArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { QUOTAS } from './deps.js';
import { clientError, pageList, resourceName, v } from './errors.js';
import { nameFromRef, readCapacityLimits, structList, tagsOnCreate } from './resource-helpers.js';
import type { ServiceEnvironment, ServiceEnvironmentOrder } from './scheduling-model.js';

const TYPES = ['SAGEMAKER_TRAINING'] as const;
const STATES = ['ENABLED', 'DISABLED'] as const;
/** A service environment's limits are at least 1; a limit without a unit counts instances. */
const ENVIRONMENT_LIMITS = { minCapacity: 1, defaultUnit: 'NUM_INSTANCES' };

export class ServiceEnvironments {
  constructor(private readonly deps: BatchDeps) {}

  find(scope: Scope, ref: string): ServiceEnvironment | undefined {
    const name = nameFromRef(scope, ref, 'service-environment');
    if (name === undefined) return undefined;
    const env = this.deps.serviceEnvironments.get(scope, name);
    if (env && ref.startsWith('arn:') && env.serviceEnvironmentArn !== ref) return undefined;
    return env;
  }

  create(scope: Scope, input: Input): { serviceEnvironmentName: string; serviceEnvironmentArn: string } {
    const name = resourceName(input, 'serviceEnvironmentName');
    const serviceEnvironmentType = v.requireEnum(input, 'serviceEnvironmentType', TYPES);
    const state = v.optionalEnum(input, 'state', STATES) ?? 'ENABLED';
    const capacityLimits = readCapacityLimits(input, true, ENVIRONMENT_LIMITS)!;
    const tags = tagsOnCreate(input);
    const arn = buildArn('batch', scope.region, scope.accountId, `service-environment/${name}`);
    const env: ServiceEnvironment = { serviceEnvironmentName: name, serviceEnvironmentArn: arn, serviceEnvironmentType, state, status: 'VALID', capacityLimits, tags };
    this.deps.uow.transaction(() => {
      if (this.deps.serviceEnvironments.count(scope) >= QUOTAS.computeEnvironments) {
        throw clientError(`Maximum number of service environments (${QUOTAS.computeEnvironments}) reached for this account in this Region.`);
      }
      if (!this.deps.serviceEnvironments.insert(scope, name, env)) throw clientError('Object already exists');
    });
    return { serviceEnvironmentName: name, serviceEnvironmentArn: arn };
  }

  describe(scope: Scope, input: Input): { serviceEnvironments: ServiceEnvironment[]; nextToken?: string } {
    const wanted = v.optionalStringList(input, 'serviceEnvironments', { max: 100 });
    let all = this.deps.serviceEnvironments.list(scope);
    if (wanted && wanted.length > 0) all = all.filter((e) => wanted.includes(e.serviceEnvironmentName) || wanted.includes(e.serviceEnvironmentArn));
    const { page, nextToken } = pageList(all, input);
    return { serviceEnvironments: page, ...(nextToken ? { nextToken } : {}) };
  }

  update(scope: Scope, input: Input): { serviceEnvironmentName: string; serviceEnvironmentArn: string } {
    const ref = v.requireString(input, 'serviceEnvironment');
    const state = v.optionalEnum(input, 'state', STATES);
    const capacityLimits = readCapacityLimits(input, false, ENVIRONMENT_LIMITS);
    return this.deps.uow.transaction(() => {
      const env = this.find(scope, ref);
      if (!env || env.status === 'DELETING' || env.status === 'DELETED') throw clientError(`${ref} does not exist`);
      if (state) env.state = state;
      if (capacityLimits) env.capacityLimits = capacityLimits;
      this.deps.serviceEnvironments.put(scope, env.serviceEnvironmentName, env);
      return { serviceEnvironmentName: env.serviceEnvironmentName, serviceEnvironmentArn: env.serviceEnvironmentArn };
    });
  }

  delete(scope: Scope, input: Input): void {
    const ref = v.requireString(input, 'serviceEnvironment');
    this.deps.uow.transaction(() => {
      const env = this.find(scope, ref);
      if (!env) throw clientError(`${ref} does not exist`);
      const users = this.deps.jobQueues.list(scope).filter((q) => orderOf(q).some((o) => o.serviceEnvironment === env.serviceEnvironmentArn));
      if (users.length > 0) throw clientError('Cannot delete, found existing JobQueue relationship');
      if (env.state !== 'DISABLED') throw clientError('Cannot delete, service environment must be DISABLED first');
      this.deps.serviceEnvironments.delete(scope, env.serviceEnvironmentName);
    });
  }

  /** The job-queue hook: a SAGEMAKER_TRAINING queue's 1..3 VALID service environments, by order. */
  resolveOrder(scope: Scope, raw: unknown): ServiceEnvironmentOrder[] {
    const entries = structList({ serviceEnvironmentOrder: raw }, 'serviceEnvironmentOrder') ?? [];
    if (entries.length === 0) throw clientError('serviceEnvironmentOrder must contain at least one service environment.');
    if (entries.length > QUOTAS.computeEnvironmentsPerQueue) {
      throw clientError(`A job queue can have at most ${QUOTAS.computeEnvironmentsPerQueue} service environments.`);
    }
    const orders = new Set<number>();
    const types = new Set<string>();
    const resolved = entries.map((e) => {
      const order = v.requireInteger(e, 'order', { min: 0 });
      const ref = v.requireString(e, 'serviceEnvironment');
      if (orders.has(order)) throw clientError('serviceEnvironmentOrder entries must have distinct order values.');
      orders.add(order);
      const env = this.find(scope, ref);
      if (!env || env.status === 'DELETING' || env.status === 'DELETED') throw clientError(`serviceEnvironment ${ref} does not exist`);
      if (env.status !== 'VALID') throw clientError(`serviceEnvironment ${ref} is ${env.status}; it must be VALID.`);
      types.add(env.serviceEnvironmentType);
      return { order, serviceEnvironment: env.serviceEnvironmentArn };
    });
    if (types.size > 1) throw clientError('All service environments of a job queue must have the same serviceEnvironmentType.');
    return resolved.sort((a, b) => a.order - b.order);
  }
}

/** A queue's service environment order (absent on compute job queues). */
export function orderOf(queue: Record<string, unknown>): ServiceEnvironmentOrder[] {
  return Array.isArray(queue.serviceEnvironmentOrder) ? (queue.serviceEnvironmentOrder as ServiceEnvironmentOrder[]) : [];
}
