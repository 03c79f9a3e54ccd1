/**
 * Connects scheduling policies, consumable resources, service environments, service jobs and
 * quota shares to the core Batch modules: CreateJobQueue/UpdateJobQueue checks, job
 * definitions' consumableResourceProperties, and TagResource/ListTagsForResource by ARN.
 */
import { parseArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import { clientError } from './errors.js';
import type { ConsumableResources } from './consumable-resources.js';
import type { JobDefinitions } from './job-definitions.js';
import type { JobQueues } from './job-queues.js';
import type { QuotaShares } from './quota-shares.js';
import type { SchedulingPolicies } from './scheduling-policies.js';
import type { ServiceEnvironments } from './service-environments.js';
import type { ServiceJobs } from './service-jobs.js';
import type { BatchTags, Tagged } from './tags.js';
import type { BatchDeps } from './deps.js';
import type { Tags } from './model.js';

export interface ExtensionParts {
  deps: BatchDeps;
  queues: JobQueues;
  definitions: JobDefinitions;
  tags: BatchTags;
  policies: SchedulingPolicies;
  consumables: ConsumableResources;
  serviceEnvironments: ServiceEnvironments;
  serviceJobs: ServiceJobs;
  quotaShares: QuotaShares;
}

export function registerExtensionHooks(p: ExtensionParts): void {
  p.queues.hooks = {
    checkSchedulingPolicy: (scope, arn, existing) => void p.policies.checkForQueue(scope, arn, existing),
    resolveServiceEnvironmentOrder: (scope, raw) => p.serviceEnvironments.resolveOrder(scope, raw),
  };
  p.definitions.checkConsumables = (scope, raw) => p.consumables.validateProperties(scope, raw);
  p.tags.resolvers.push((scope, arn) => resolveTagged(p, scope, arn));
}

function resolveTagged(p: ExtensionParts, scope: Scope, arnText: string): Tagged | undefined {
  const resource = parseArn(arnText)?.resource ?? '';
  const missing = () => clientError(`Resource ${arnText} does not exist`);
  const kind = resource.split('/')[0];
  const d = p.deps;
  if (/^job-queue\/[^/]+\/quota-share\/[^/]+$/.test(resource)) {
    const share = p.quotaShares.find(scope, arnText);
    if (!share) throw missing();
    return tagged(share.tags, (tags) => p.quotaShares.save(scope, { ...share, tags }));
  }
  switch (kind) {
    case 'scheduling-policy': {
      const policy = p.policies.find(scope, arnText);
      if (!policy) throw missing();
      return tagged(policy.tags, (tags) => d.schedulingPolicies.put(scope, policy.name, { ...policy, tags }));
    }
    case 'consumable-resource': {
      const r = p.consumables.find(scope, arnText);
      if (!r) throw missing();
      return tagged(r.tags, (tags) => d.consumableResources.put(scope, r.consumableResourceName, { ...r, tags }));
    }
    case 'service-environment': {
      const env = p.serviceEnvironments.find(scope, arnText);
      if (!env) throw missing();
      return tagged(env.tags, (tags) => d.serviceEnvironments.put(scope, env.serviceEnvironmentName, { ...env, tags }));
    }
    case 'service-job': {
      const job = p.serviceJobs.find(scope, resource.slice('service-job/'.length));
      if (!job || job.detail.jobArn !== arnText) throw missing();
      return tagged(job.detail.tags, (tags) => d.serviceJobs.put(scope, job.detail.jobId, { ...job, detail: { ...job.detail, tags } }));
    }
    default:
      return undefined;
  }
}

function tagged(tags: Tags, save: (tags: Tags) => void): Tagged {
  return { tags: tags ?? {}, save };
}
