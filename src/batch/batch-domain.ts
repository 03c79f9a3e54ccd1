/**
 * The AWS Batch domain, assembled: compute environments, job queues, job definitions, jobs,
 * transitions and tags over the injected repositories. `onChange` tells the scheduler that
 * something it acts on has changed; `stopRunning` is how TerminateJob reaches an executor.
 */
import type { BatchDeps } from './deps.js';
import { ComputeEnvironments } from './compute-environments.js';
import { JobDefinitions } from './job-definitions.js';
import { JobGraph } from './job-graph.js';
import { JobCancellation } from './job-cancellation.js';
import { ArrayChildren } from './array-children.js';
import { JobQueues } from './job-queues.js';
import { JobTransitions } from './job-transitions.js';
import { Jobs } from './jobs.js';
import type { JobRecord } from './model.js';
import { BatchTags } from './tags.js';
import { ConsumableResources } from './consumable-resources.js';
import { registerExtensionHooks } from './extension-hooks.js';
import { QueueSnapshots } from './queue-snapshots.js';
import { QuotaShares } from './quota-shares.js';
import { SchedulingPolicies } from './scheduling-policies.js';
import { ServiceEnvironments } from './service-environments.js';
import { ServiceJobs } from './service-jobs.js';

export class BatchDomain {
  readonly environments: ComputeEnvironments;
  readonly queues: JobQueues;
  readonly definitions: JobDefinitions;
  readonly transitions: JobTransitions;
  readonly graph: JobGraph;
  readonly arrays: ArrayChildren;
  readonly jobs: Jobs;
  readonly tags: BatchTags;
  // --- scheduling policies, consumable resources, service environments/jobs, quota shares ---
  readonly policies: SchedulingPolicies;
  readonly consumables: ConsumableResources;
  readonly serviceEnvironments: ServiceEnvironments;
  readonly quotaShares: QuotaShares;
  readonly serviceJobs: ServiceJobs;
  readonly snapshots: QueueSnapshots;
  // --- end ---
  onChange: () => void = () => {};
  /** Set when compute environments or job queues changed: the next scheduler pass settles them. */
  settleNeeded = true;
  stopRunning: (record: JobRecord, reason: string) => void = () => {};

  constructor(readonly deps: BatchDeps) {
    this.environments = new ComputeEnvironments(deps);
    this.queues = new JobQueues(deps, this.environments);
    this.definitions = new JobDefinitions(deps);
    this.transitions = new JobTransitions(deps.jobs);
    this.graph = new JobGraph(deps.jobs, this.transitions, deps.clock);
    const cancellation = new JobCancellation(deps.jobs, this.transitions, this.graph, deps.clock);
    this.arrays = new ArrayChildren(deps, cancellation);
    this.jobs = new Jobs(deps, this.queues, this.definitions, this.transitions, (record, reason) => this.stopRunning(record, reason), this.arrays, cancellation);
    this.graph.stop = (jobId, reason) => this.jobs.terminateOne(jobId, reason);
    this.tags = new BatchTags(deps, this.environments, this.queues, this.definitions, this.jobs);
    // --- scheduling policies, consumable resources, service environments/jobs, quota shares ---
    this.policies = new SchedulingPolicies(deps);
    this.consumables = new ConsumableResources(deps);
    this.serviceEnvironments = new ServiceEnvironments(deps);
    this.quotaShares = new QuotaShares(deps, this.queues, this.policies);
    this.serviceJobs = new ServiceJobs(deps, this.queues, this.policies, this.quotaShares);
    this.snapshots = new QueueSnapshots(deps, this.queues, this.policies);
    registerExtensionHooks({
      deps,
      queues: this.queues,
      definitions: this.definitions,
      tags: this.tags,
      policies: this.policies,
      consumables: this.consumables,
      serviceEnvironments: this.serviceEnvironments,
      serviceJobs: this.serviceJobs,
      quotaShares: this.quotaShares,
    });
    // --- end ---
  }
}
