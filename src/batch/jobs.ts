/**
 * Jobs: SubmitJob, DescribeJobs, ListJobs, CancelJob, TerminateJob. Submission validates
 * against AWS's limits, resolves the queue and job definition, merges overrides, and commits
 * the job SUBMITTED; the scheduler moves it on from there.
 */
import { buildArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { QUOTAS } from './deps.js';
import { clientError, decodeToken, encodeToken, v } from './errors.js';
import type { JobDefinitions } from './job-definitions.js';
import { resourcesOf, validateContainer } from './job-definitions.js';
import type { JobCursor, ListJobsQuery } from './job-repository.js';
import type { JobQueues } from './job-queues.js';
import type { JobTransitions } from './job-transitions.js';
import type { ContainerProperties, JobDefinition, JobDetail, JobRecord, JobStatus, KeyValuePair } from './model.js';
import { JOB_STATUSES } from './model.js';
import { validateRetryStrategy } from './retry-strategy.js';
import { RateLimiter } from './rate-limit.js';
import { nodeRecords } from './multi-node.js';
import type { ArrayChildren } from './array-children.js';
import type { JobCancellation } from './job-cancellation.js';
import type { NodeProperties } from './multi-node.js';

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const FILTER_NAMES = ['JOB_NAME', 'JOB_DEFINITION', 'BEFORE_CREATED_AT', 'AFTER_CREATED_AT', 'SHARE_IDENTIFIER'] as const;

/** Asks a running attempt to stop (the scheduler forwards this to the executor). */
export type StopRunning = (record: JobRecord, reason: string) => void;

export class Jobs {
  private readonly submitLimiter: RateLimiter | undefined;

  constructor(
    private readonly deps: BatchDeps,
    private readonly queues: JobQueues,
    private readonly definitions: JobDefinitions,
    private readonly transitions: JobTransitions,
    private readonly stopRunning: StopRunning,
    private readonly arrays: ArrayChildren,
    private readonly cancellation: JobCancellation,
  ) {
    this.submitLimiter = deps.submitJobRateLimit ? new RateLimiter(deps.submitJobRateLimit, deps.clock) : undefined;
  }

  find(scope: Scope, jobId: string): JobRecord | undefined {
    const record = this.deps.jobs.get(jobId);
    if (!record || record.internal.accountId !== scope.accountId || record.internal.region !== scope.region) return undefined;
    return record;
  }

  /** `known` is the job definition when the caller resolved it already (authorization did). */
  submit(scope: Scope, input: Input, known?: JobDefinition): { jobArn: string; jobName: string; jobId: string } {
    this.submitLimiter?.take(scope.accountId);
    if (Buffer.byteLength(JSON.stringify(input)) > QUOTAS.submitJobBytes) {
      throw clientError('The SubmitJob request payload exceeds the maximum size of 30 KiB.');
    }
    const jobName = v.requireString(input, 'jobName', {
      pattern: JOB_NAME,
      patternText: 'can contain up to 128 letters (uppercase and lowercase), numbers, hyphens, and underscores, and must start with a letter or number',
    });
    const queueRef = v.requireString(input, 'jobQueue');
    const definitionRef = v.requireString(input, 'jobDefinition');
    const parameters = v.optionalStringMap(input, 'parameters');
    const tags = v.optionalStringMap(input, 'tags');
    const propagateTags = v.optionalBoolean(input, 'propagateTags');
    const shareIdentifier = v.optionalString(input, 'shareIdentifier');
    const schedulingPriorityOverride = v.optionalInteger(input, 'schedulingPriorityOverride', { min: 0, max: 9999 });
    const retryOverride = validateRetryStrategy(v.optionalObject(input, 'retryStrategy'));
    const timeoutInput = v.optionalObject(input, 'timeout');
    const overrides = v.optionalObject(input, 'containerOverrides');
    this.refuseUnsupported(input);

    const queue = this.queues.findReadOnly(scope, queueRef);
    if (!queue || queue.status === 'DELETING') throw clientError(`Job Queue ${queueRef} does not exist`);
    if (queue.state === 'DISABLED') throw clientError(`Job Queue ${queue.jobQueueArn} is DISABLED and cannot accept new jobs`);
    if (queue.jobQueueType === 'SAGEMAKER_TRAINING') throw clientError(`Job Queue ${queue.jobQueueName} is a SAGEMAKER_TRAINING queue: submit to it with SubmitServiceJob.`);
    if (queue.schedulingPolicyArn && !shareIdentifier) throw clientError('Share identifier is required for job queues with a fair share scheduling policy');
    const definition = known ?? this.definitions.resolveReadOnly(scope, definitionRef);
    if (!definition) throw clientError(`Job definition ${definitionRef} does not exist`);
    if (definition.status !== 'ACTIVE') throw clientError(`Job definition ${definition.jobDefinitionArn} is INACTIVE`);
    const nodeProperties = definition.type === 'multinode' ? (definition.nodeProperties as NodeProperties | undefined) : undefined;
    if (!definition.containerProperties && !nodeProperties) {
      throw clientError(`Job definition ${definition.jobDefinitionArn} has no containerProperties or nodeProperties that batchlink can run (EKS and ecsProperties job definitions are not run yet).`);
    }
    const fargateJob = (definition.platformCapabilities ?? ['EC2']).includes('FARGATE');
    if (fargateJob !== (queue.jobQueueType === 'ECS_FARGATE')) {
      throw clientError(
        `Job definition ${definition.jobDefinitionArn} requires ${fargateJob ? 'FARGATE' : 'EC2'} platform capabilities, which the compute environments of job queue ${queue.jobQueueName} do not provide.`,
      );
    }
    let attemptDurationSeconds = definition.timeout?.attemptDurationSeconds;
    if (timeoutInput) {
      const seconds = v.optionalInteger(timeoutInput, 'attemptDurationSeconds');
      if (seconds !== undefined && seconds < 60) throw clientError('The minimum value for the timeout is 60 seconds.');
      if (seconds !== undefined) attemptDurationSeconds = seconds;
    }

    const container = nodeProperties ? undefined : mergeContainer(definition.containerProperties ?? {}, overrides);
    // Overridden resources of a Fargate job must still be a Fargate vCPU/memory pair.
    if (container && fargateJob && overrides) validateContainer(container as Input, 'FARGATE');
    const { vcpus = 1, memory = 2048 } = container ? resourcesOf(container) : {};
    const jobId = this.deps.ids.uuid();
    const now = this.deps.clock.now();
    const retryStrategy = retryOverride ?? definition.retryStrategy;
    const detail: JobDetail = {
      jobArn: buildArn('batch', scope.region, scope.accountId, `job/${jobId}`),
      jobName,
      jobId,
      jobQueue: queue.jobQueueArn,
      status: 'SUBMITTED',
      attempts: [],
      createdAt: now,
      dependsOn: [],
      jobDefinition: definition.jobDefinitionArn,
      parameters: { ...definition.parameters, ...parameters },
      ...(container ? { container } : {}),
      ...(nodeProperties ? { nodeProperties } : {}),
      ...this.consumablesFor(scope, input, definition),
      tags: { ...(propagateTags ?? definition.propagateTags ? definition.tags : {}), ...tags },
      propagateTags: propagateTags ?? definition.propagateTags ?? false,
      platformCapabilities: definition.platformCapabilities ?? ['EC2'],
      ...(retryStrategy ? { retryStrategy } : {}),
      ...(attemptDurationSeconds !== undefined ? { timeout: { attemptDurationSeconds } } : {}),
      ...(shareIdentifier ? { shareIdentifier } : {}),
      ...(schedulingPriorityOverride ?? definition.schedulingPriority) !== undefined
        ? { schedulingPriority: schedulingPriorityOverride ?? definition.schedulingPriority }
        : {},
    };
    const record: JobRecord = {
      detail,
      internal: {
        accountId: scope.accountId,
        region: scope.region,
        vcpus,
        memory,
        attempt: 0,
        jobDefinitionName: definition.jobDefinitionName,
      },
    };
    const arraySize = this.arraySize(input);
    const dependsOn = this.dependencies(scope, input, arraySize);
    const sequential = this.sequential(input);
    detail.dependsOn = [
      ...dependsOn.map((d) => ({ jobId: d.jobId, ...(d.type ? { type: d.type } : {}) })),
      ...(sequential ? [{ type: 'SEQUENTIAL' as const }] : []),
    ];
    if (nodeProperties) {
      if (arraySize !== undefined) throw clientError('A multi-node parallel job cannot be an array job.');
      this.insertMultiNode(record, nodeProperties, v.optionalObject(input, 'nodeOverrides'), dependsOn.map((d) => d.jobId));
    } else if (arraySize === undefined && dependsOn.length === 0) {
      this.deps.jobs.insert(record); // one statement: atomic by itself (SubmitJob is `selfAtomic`)
    } else if (arraySize === undefined) {
      this.deps.uow.transaction(() => {
        this.deps.jobs.insert(record);
        this.deps.jobs.insertDependencies(jobId, dependsOn.map((d) => d.jobId));
      });
    } else {
      this.insertArray(record, arraySize, dependsOn, sequential);
    }
    return { jobArn: detail.jobArn, jobName, jobId };
  }

  /**
   * DescribeJobs: each found job's stored JobDetail as JSON text, in the order asked (AWS leaves
   * unknown ids out). Array parents get their statusSummary counted now.
   */
  describe(scope: Scope, input: Input): string[] {
    const ids = v.optionalStringList(input, 'jobs');
    if (!ids) throw clientError('jobs is required.');
    if (ids.length > QUOTAS.describeJobsIds) throw clientError(`jobs can contain at most ${QUOTAS.describeJobsIds} job IDs.`);
    const found = new Map(this.deps.jobs.detailTexts(scope, [...new Set(ids)]).map((row) => [row.jobId, row]));
    const texts: string[] = [];
    for (const id of ids) {
      const row = found.get(id);
      if (!row) continue;
      if (row.role === 'arrayParent') {
        const counts = this.deps.jobs.childStatusCounts(id);
        const statusSummary = Object.fromEntries(JOB_STATUSES.map((s) => [s, counts[s] ?? 0]));
        const detail = JSON.parse(row.detail) as JobDetail;
        texts.push(JSON.stringify({ ...detail, arrayProperties: { size: row.arraySize ?? 0, statusSummary } }));
      } else {
        texts.push(row.detail);
      }
    }
    return texts;
  }

  list(scope: Scope, input: Input): { jobSummaryList: Array<Record<string, unknown>>; nextToken?: string } {
    const queueRef = v.optionalString(input, 'jobQueue');
    const arrayJobId = v.optionalString(input, 'arrayJobId');
    const multiNodeJobId = v.optionalString(input, 'multiNodeJobId');
    const status = v.optionalEnum(input, 'jobStatus', JOB_STATUSES);
    const filters = v.optionalList(input, 'filters') ?? [];
    const scopes = [queueRef, arrayJobId, multiNodeJobId].filter((x) => x !== undefined);
    if (scopes.length !== 1) throw clientError('You must specify exactly one of jobQueue, arrayJobId or multiNodeJobId.');
    if (filters.length > 1) throw clientError('Only one filter can be specified per ListJobs request.');
    const maxResults = v.optionalInteger(input, 'maxResults', { min: 1, max: filters.length > 0 ? 100 : 1000 }) ?? 100;
    const cursor = decodeToken<JobCursor>(v.optionalString(input, 'nextToken'));
    const query: ListJobsQuery = { scope, limit: maxResults, ...(cursor ? { cursor } : {}) };
    if (queueRef !== undefined) {
      const queue = this.queues.find(scope, queueRef);
      if (!queue) throw clientError(`Job Queue ${queueRef} does not exist`);
      query.queueArn = queue.jobQueueArn;
    } else if (arrayJobId !== undefined) {
      const parent = this.find(scope, arrayJobId);
      if (!parent || parent.internal.role !== 'arrayParent') throw clientError(`Array job ${arrayJobId} does not exist`);
      query.parentId = arrayJobId;
    } else {
      const parent = this.find(scope, multiNodeJobId ?? '');
      if (!parent || parent.internal.role !== 'mnpParent') throw clientError(`Multi-node parallel job ${multiNodeJobId} does not exist`);
      query.parentId = parent.detail.jobId;
    }
    const filter = filters[0] as Input | undefined;
    if (filter) this.applyFilter(query, filter);
    // Filters make ListJobs ignore jobStatus, except SHARE_IDENTIFIER, which combines with it.
    if (!filter || filter.name === 'SHARE_IDENTIFIER') query.statuses = [status ?? 'RUNNING'] as JobStatus[];
    const { records, next } = this.deps.jobs.list(query);
    return {
      jobSummaryList: records.map((r) => summaryOf(r.detail)),
      ...(next ? { nextToken: encodeToken(next) } : {}),
    };
  }

  cancel(scope: Scope, input: Input): void {
    const jobId = v.requireString(input, 'jobId');
    const reason = v.requireString(input, 'reason', { max: 1024 });
    const record = this.find(scope, jobId);
    if (!record) throw clientError(`Job ${jobId} not found`);
    // What is cancelled when, and what is left alone: job-cancellation.ts.
    this.deps.uow.transaction(() => this.cancellation.cancel(record, reason));
  }

  terminate(scope: Scope, input: Input): void {
    const jobId = v.requireString(input, 'jobId');
    const reason = v.requireString(input, 'reason');
    const record = this.find(scope, jobId);
    if (!record) throw clientError(`Job ${jobId} not found`);
    if (record.internal.role === 'arrayParent' || record.internal.role === 'mnpParent') {
      this.deps.uow.transaction(() => this.arrays.spawnAll(jobId));
      for (const childId of this.deps.jobs.childIds(jobId)) this.terminateOne(childId, reason);
      return;
    }
    this.terminateOne(jobId, reason);
  }

  /** Terminates one job: before it starts it fails at once; a running one is stopped. */
  terminateOne(jobId: string, reason: string): void {
    if (this.transitions.moveToFailedBeforeStart(jobId, this.deps.clock.now(), reason, 'isTerminated')) return;
    const current = this.deps.jobs.get(jobId);
    if (current && (current.detail.status === 'STARTING' || current.detail.status === 'RUNNING')) {
      current.internal.terminationRequested = reason;
      this.deps.jobs.save(current);
      this.stopRunning(current, reason);
    }
  }

  /** The job's consumable resources: the override at submission, else the definition's. */
  private consumablesFor(scope: Scope, input: Input, definition: JobDefinition): { consumableResourceProperties?: unknown } {
    const override = v.optionalObject(input, 'consumableResourcePropertiesOverride');
    const props = override ? this.definitions.checkConsumables(scope, override) : definition.consumableResourceProperties;
    return props ? { consumableResourceProperties: props } : {};
  }

  private arraySize(input: Input): number | undefined {
    const props = v.optionalObject(input, 'arrayProperties');
    if (!props) return undefined;
    const size = v.optionalInteger(props, 'size');
    if (size === undefined) return undefined;
    if (size < 2 || size > 10_000) throw clientError('Array job size must be between 2 and 10,000.');
    return size;
  }

  private sequential(input: Input): boolean {
    return (v.optionalList(input, 'dependsOn') ?? []).some((d) => (d as Input | null)?.type === 'SEQUENTIAL');
  }

  /** Validates dependsOn: at most 20 jobs of this account; N_TO_N pairs arrays of equal size. */
  private dependencies(scope: Scope, input: Input, arraySize: number | undefined): Array<{ jobId: string; type?: 'N_TO_N' | 'SEQUENTIAL'; size?: number }> {
    const raw = v.optionalList(input, 'dependsOn') ?? [];
    if (raw.length > QUOTAS.dependencies) throw clientError(`A job can depend on at most ${QUOTAS.dependencies} jobs.`);
    const result: Array<{ jobId: string; type?: 'N_TO_N' | 'SEQUENTIAL'; size?: number }> = [];
    for (const entry of raw) {
      const e = (entry ?? {}) as Input;
      const type = v.optionalEnum(e, 'type', ['N_TO_N', 'SEQUENTIAL'] as const);
      const jobId = v.optionalString(e, 'jobId');
      if (type === 'SEQUENTIAL') {
        if (arraySize === undefined) throw clientError('A SEQUENTIAL dependency is only valid for an array job.');
        if (jobId) throw clientError('A SEQUENTIAL dependency must not name a job ID.');
        continue;
      }
      if (!jobId) throw clientError('dependsOn.jobId is required.');
      const target = this.find(scope, jobId);
      if (!target) throw clientError(`Dependent job ID ${jobId} does not exist.`);
      if (type === 'N_TO_N') {
        if (arraySize === undefined || target.internal.role !== 'arrayParent') throw clientError('An N_TO_N dependency is only valid between two array jobs.');
        if (target.internal.arraySize !== arraySize) throw clientError('An N_TO_N dependency requires both array jobs to have the same size.');
      }
      result.push({ jobId, ...(type ? { type } : {}), ...(target.internal.arraySize ? { size: target.internal.arraySize } : {}) });
    }
    return result;
  }

  /** A multi-node parallel job: the parent and one child `<id>#<node>` per node, in one transaction. */
  private insertMultiNode(parent: JobRecord, props: NodeProperties, overrides: Input | undefined, dependsOn: string[]): void {
    const numNodes = v.optionalInteger(overrides ?? {}, 'numNodes', { min: 1 }) ?? props.numNodes;
    if (numNodes <= props.mainNode) throw clientError('nodeOverrides.numNodes must be greater than the main node index.');
    const sized = { ...props, numNodes };
    parent.internal.role = 'mnpParent';
    parent.internal.arraySize = numNodes;
    parent.detail.nodeProperties = sized;
    const children = nodeRecords(parent, sized, mergeContainer, overrides);
    this.deps.uow.transaction(() => {
      this.deps.jobs.insert(parent);
      this.deps.jobs.insertDependencies(parent.detail.jobId, dependsOn);
      for (const child of children) {
        this.deps.jobs.insert(child, parent.detail.jobId);
        this.deps.jobs.insertDependencies(child.detail.jobId, dependsOn);
      }
    });
  }

  /** An array job: the parent is written now; the scheduler spawns its children (array-children.ts). */
  private insertArray(parent: JobRecord, size: number, dependsOn: Array<{ jobId: string; type?: string }>, sequential: boolean): void {
    this.arrays.prepareParent(parent, size, { dependsOn: dependsOn.map((d) => ({ jobId: d.jobId, ...(d.type ? { type: d.type } : {}) })), sequential });
    this.deps.uow.transaction(() => {
      this.deps.jobs.insert(parent);
      this.arrays.markSpawning(parent.detail.jobId);
    });
  }

  private applyFilter(query: ListJobsQuery, filter: Input): void {
    const name = v.requireEnum(filter, 'name', FILTER_NAMES);
    const values = v.optionalStringList(filter, 'values') ?? [];
    const value = values[0];
    if (values.length !== 1 || value === undefined) throw clientError('A filter must have exactly one value.');
    switch (name) {
      case 'JOB_NAME':
        query.nameLike = value.endsWith('*') ? `${escapeLike(value.slice(0, -1))}%` : escapeLike(value);
        break;
      case 'JOB_DEFINITION':
        query.definitionGlob = definitionGlob(value);
        break;
      case 'SHARE_IDENTIFIER':
        query.shareIdentifier = value;
        break;
      case 'BEFORE_CREATED_AT':
      case 'AFTER_CREATED_AT': {
        const at = Number(value);
        if (!Number.isFinite(at)) throw clientError(`${name} must be a number of milliseconds since the epoch.`);
        if (name === 'BEFORE_CREATED_AT') query.createdBefore = at;
        else query.createdAfter = at;
        break;
      }
    }
  }

  private refuseUnsupported(input: Input): void {
    for (const field of ['eksPropertiesOverride', 'ecsPropertiesOverride']) {
      const value = input[field];
      if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) {
        throw clientError(`${field} is not supported by batchlink yet.`);
      }
    }
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function escapeGlob(text: string): string {
  return text.replace(/[[*?]/g, (c) => `[${c}]`);
}

/** JOB_DEFINITION filter values: an ARN, `name:revision` or `name`, each with an optional trailing `*`. */
function definitionGlob(value: string): string {
  const wildcard = value.endsWith('*');
  const base = escapeGlob(wildcard ? value.slice(0, -1) : value);
  if (value.startsWith('arn:')) return wildcard ? `${base}*` : base;
  if (wildcard) return `*:job-definition/${base}*`;
  return value.includes(':') ? `*:job-definition/${base}` : `*:job-definition/${base}:*`;
}

function mergeContainer(base: ContainerProperties, overrides: Input | undefined): ContainerProperties {
  // A shallow copy is enough: overrides replace top-level fields and never edit nested ones in
  // place (nodes of one node range share `base`).
  const container: ContainerProperties = { ...base };
  if (!overrides) return container;
  const o = overrides as ContainerProperties & { instanceType?: string };
  if (o.command !== undefined) {
    if (!Array.isArray(o.command)) throw clientError('containerOverrides.command must be a list of strings.');
    container.command = o.command;
  }
  if (o.environment !== undefined) {
    const merged = new Map<string, string>((container.environment ?? []).map((e) => [e.name, e.value]));
    for (const e of o.environment as KeyValuePair[]) {
      if (e.name?.startsWith('AWS_BATCH')) throw clientError(`Environment variable names starting with AWS_BATCH are reserved: ${e.name}.`);
      merged.set(e.name, e.value);
    }
    container.environment = [...merged].map(([name, value]) => ({ name, value }));
  }
  if (o.resourceRequirements !== undefined) {
    const merged = new Map((container.resourceRequirements ?? []).map((r) => [r.type, r]));
    for (const r of o.resourceRequirements) merged.set(r.type, r);
    container.resourceRequirements = [...merged.values()];
  }
  if (o.vcpus !== undefined) container.vcpus = o.vcpus;
  if (o.memory !== undefined) container.memory = o.memory;
  if (o.instanceType !== undefined) container.instanceType = o.instanceType;
  return container;
}

export function summaryOf(d: JobDetail): Record<string, unknown> {
  return {
    jobArn: d.jobArn,
    jobId: d.jobId,
    jobName: d.jobName,
    createdAt: d.createdAt,
    status: d.status,
    ...(d.statusReason !== undefined ? { statusReason: d.statusReason } : {}),
    ...(d.startedAt !== undefined ? { startedAt: d.startedAt } : {}),
    ...(d.stoppedAt !== undefined ? { stoppedAt: d.stoppedAt } : {}),
    ...(d.container && (d.container.exitCode !== undefined || d.container.reason !== undefined)
      ? { container: { ...(d.container.exitCode !== undefined ? { exitCode: d.container.exitCode } : {}), ...(d.container.reason !== undefined ? { reason: d.container.reason } : {}) } }
      : {}),
    ...(d.arrayProperties ? { arrayProperties: { size: d.arrayProperties.size, index: d.arrayProperties.index } } : {}),
    ...(d.nodeDetails ? { nodeProperties: { isMainNode: (d.nodeDetails as { isMainNode?: boolean }).isMainNode, nodeIndex: (d.nodeDetails as { nodeIndex?: number }).nodeIndex } } : {}),
    jobDefinition: d.jobDefinition,
    ...(d.isCancelled ? { isCancelled: true } : {}),
    ...(d.isTerminated ? { isTerminated: true } : {}),
  };
}
