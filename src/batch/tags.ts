/**
 * Tagging of Batch resources by ARN: compute environments, job queues, job definitions and
 * jobs. AWS's limits: at most 50 tags, keys up to 128 and values up to 256 characters, and the
 * `aws:` prefix is reserved.
 */
import { parseArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { clientError, v } from './errors.js';
import type { ComputeEnvironments } from './compute-environments.js';
import type { JobDefinitions } from './job-definitions.js';
import type { JobQueues } from './job-queues.js';
import type { Jobs } from './jobs.js';
import type { Tags } from './model.js';

export interface Tagged {
  tags: Tags;
  save(tags: Tags): void;
}

/** Other taggable kinds (scheduling policies, consumable resources, …): undefined = not mine. */
export type TagResolver = (scope: Scope, arn: string) => Tagged | undefined;

export class BatchTags {
  constructor(
    private readonly deps: BatchDeps,
    private readonly environments: ComputeEnvironments,
    private readonly queues: JobQueues,
    private readonly definitions: JobDefinitions,
    private readonly jobs: Jobs,
  ) {}

  /** Extra resolvers, tried before the built-in kinds. */
  readonly resolvers: TagResolver[] = [];

  tag(scope: Scope, input: Input): void {
    const arn = v.requireString(input, 'resourceArn');
    const tags = v.optionalStringMap(input, 'tags');
    if (!tags || Object.keys(tags).length === 0) throw clientError('tags must contain at least one tag.');
    for (const [key, value] of Object.entries(tags)) {
      if (key.length < 1 || key.length > 128) throw clientError('Tag keys must be 1 to 128 characters long.');
      if (value.length > 256) throw clientError('Tag values must be at most 256 characters long.');
      if (key.toLowerCase().startsWith('aws:')) throw clientError('Tag keys starting with aws: are reserved for AWS use.');
    }
    this.deps.uow.transaction(() => {
      const target = this.resolve(scope, arn);
      const merged = { ...target.tags, ...tags };
      if (Object.keys(merged).length > 50) throw clientError('A resource can have at most 50 tags.');
      target.save(merged);
    });
  }

  untag(scope: Scope, input: Input): void {
    const arn = v.requireString(input, 'resourceArn');
    const keys = v.optionalStringList(input, 'tagKeys') ?? [];
    if (keys.length === 0) throw clientError('tagKeys must contain at least one key.');
    this.deps.uow.transaction(() => {
      const target = this.resolve(scope, arn);
      const remaining = { ...target.tags };
      for (const key of keys) delete remaining[key];
      target.save(remaining);
    });
  }

  list(scope: Scope, input: Input): { tags: Tags } {
    const arn = v.requireString(input, 'resourceArn');
    return { tags: this.resolve(scope, arn).tags };
  }

  private resolve(scope: Scope, arnText: string): Tagged {
    const arn = parseArn(arnText);
    if (!arn || arn.service !== 'batch' || arn.account !== scope.accountId || arn.region !== scope.region) {
      throw clientError(`${arnText} is not a valid resource ARN for AWS Batch in this account and Region.`);
    }
    const [kind = '', id = ''] = arn.resource.split(/\/(.*)/s);
    const missing = () => clientError(`Resource ${arnText} does not exist`);
    // --- resources resolved outside this file (BatchDomain registers them) ---
    for (const resolver of this.resolvers) {
      const found = resolver(scope, arnText);
      if (found) return found;
    }
    // --- end ---
    switch (kind) {
      case 'compute-environment': {
        const ce = this.environments.find(scope, arnText);
        if (!ce) throw missing();
        return { tags: ce.tags ?? {}, save: (tags) => this.deps.computeEnvironments.put(scope, ce.computeEnvironmentName, { ...ce, tags }) };
      }
      case 'job-queue': {
        const queue = this.queues.find(scope, arnText);
        if (!queue) throw missing();
        return { tags: queue.tags ?? {}, save: (tags) => this.deps.jobQueues.put(scope, queue.jobQueueName, { ...queue, tags }) };
      }
      case 'job-definition': {
        const def = id.includes(':') ? this.definitions.resolve(scope, arnText) : undefined;
        if (!def) throw missing();
        return { tags: def.tags ?? {}, save: (tags) => this.definitions.save(scope, { ...def, tags }) };
      }
      case 'job': {
        const record = this.jobs.find(scope, id);
        if (!record) throw missing();
        return {
          tags: record.detail.tags ?? {},
          save: (tags) => {
            const fresh = this.deps.jobs.get(id) ?? record;
            fresh.detail.tags = tags;
            this.deps.jobs.save(fresh);
          },
        };
      }
      default:
        throw clientError(`${arnText} is not a taggable AWS Batch resource.`);
    }
  }
}
