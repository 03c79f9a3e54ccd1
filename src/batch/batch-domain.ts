/**
 * The AWS Batch domain, assembled: compute environments, job queues, job definitions, jobs,
 * transitions and tags over the injected repositories. `onChange` tells the scheduler that
 * something it acts on has changed; `stopRunning` is how TerminateJob reaches an executor.
 */
import type { BatchDeps } from './deps.js';
import { ComputeEnvironments } from './compute-environments.js';
import { JobDefinitions } from './job-definitions.js';
import { JobGraph } from './job-graph.js';
import { JobQueues } from './job-queues.js';
import { JobTransitions } from './job-transitions.js';
import { Jobs } from './jobs.js';
import type { JobRecord } from './model.js';
import { BatchTags } from './tags.js';

export class BatchDomain {
  readonly environments: ComputeEnvironments;
  readonly queues: JobQueues;
  readonly definitions: JobDefinitions;
  readonly transitions: JobTransitions;
  readonly graph: JobGraph;
  readonly jobs: Jobs;
  readonly tags: BatchTags;
  onChange: () => void = () => {};
  stopRunning: (record: JobRecord, reason: string) => void = () => {};

  constructor(readonly deps: BatchDeps) {
    this.environments = new ComputeEnvironments(deps);
    this.queues = new JobQueues(deps, this.environments);
    this.definitions = new JobDefinitions(deps);
    this.transitions = new JobTransitions(deps.jobs);
    this.graph = new JobGraph(deps.jobs, this.transitions, deps.clock);
    this.jobs = new Jobs(deps, this.queues, this.definitions, this.transitions, (record, reason) => this.stopRunning(record, reason));
    this.graph.stop = (jobId, reason) => this.jobs.terminateOne(jobId, reason);
    this.tags = new BatchTags(deps, this.environments, this.queues, this.definitions, this.jobs);
  }
}
