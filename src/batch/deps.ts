/**
 * What the Batch domain needs from outside: its repositories, the unit of work, the clock and
 * id source. Built once by the composition root.
 */
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import type { CountedRepository, DocumentRepository, UnitOfWork } from '../core/repository.js';
import type { JobRepository } from './job-repository.js';
import type { ComputeEnvironment, JobDefinition, JobQueue } from './model.js';
import type { ConsumableResource, QuotaShare, SchedulingPolicy, ServiceEnvironment, ServiceJob } from './scheduling-model.js';

/** Which IAM roles and instance profiles exist (the identity layer answers). */
export interface RoleDirectory {
  roleExists(accountId: string, arnOrName: string): boolean;
  instanceProfileExists(accountId: string, arnOrName: string): boolean;
}

export interface BatchDeps {
  computeEnvironments: DocumentRepository<ComputeEnvironment>;
  /** Write-counted: SubmitJob reads queues and definitions from FrozenReads until the next write. */
  jobQueues: CountedRepository<JobQueue>;
  jobDefinitions: CountedRepository<JobDefinition>;
  revisions: CountedRepository<{ latest: number }>;
  jobs: JobRepository;
  uow: UnitOfWork;
  clock: Clock;
  ids: IdSource;
  /** When present, roles named by compute environments and jobs must exist. */
  roles?: RoleDirectory;
  /** SubmitJob requests per second per account; unlimited when absent. */
  submitJobRateLimit?: number;
  // --- scheduling policies, consumable resources, service environments and jobs, quota shares ---
  schedulingPolicies: DocumentRepository<SchedulingPolicy>;
  consumableResources: DocumentRepository<ConsumableResource>;
  serviceEnvironments: DocumentRepository<ServiceEnvironment>;
  serviceJobs: DocumentRepository<ServiceJob>;
  quotaShares: DocumentRepository<QuotaShare>;
  // --- end ---
}

/** AWS Batch's fixed quotas. */
export const QUOTAS = {
  computeEnvironments: 50,
  jobQueues: 50,
  computeEnvironmentsPerQueue: 3,
  dependencies: 20,
  describeJobsIds: 100,
  jobDefinitionBytes: 24 * 1024,
  submitJobBytes: 30 * 1024,
};
