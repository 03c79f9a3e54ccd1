/**
 * Service jobs (SubmitServiceJob, DescribeServiceJob, ListServiceJobs, TerminateServiceJob(s),
 * UpdateServiceJob): stored and reported with AWS's shapes; ARN `service-job/<id>`. They go
 * to SAGEMAKER_TRAINING job queues only; a fair-share queue needs a shareIdentifier and a
 * quota-share queue a quotaShareName. How (and whether) one runs: service-job-runs.ts.
 */
import { createHash } from 'node:crypto';
import { buildArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { QUOTAS } from './deps.js';
import { clientError, decodeToken, encodeToken, v } from './errors.js';
import type { JobQueues } from './job-queues.js';
import type { QuotaShares } from './quota-shares.js';
import { nameMatches, readFilters, structList, tagsOnCreate } from './resource-helpers.js';
import type { ServiceJob, ServiceJobDetail } from './scheduling-model.js';
import { SERVICE_JOB_STATUSES } from './scheduling-model.js';
import type { SchedulingPolicies } from './scheduling-policies.js';
import { ServiceJobRuns } from './service-job-runs.js';

const JOB_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const BULK_MAX = 50;
const FILTERS = ['JOB_NAME', 'BEFORE_CREATED_AT', 'AFTER_CREATED_AT', 'SHARE_IDENTIFIER', 'QUOTA_SHARE_NAME'] as const;

export interface BulkOutcome {
  successful: string[];
  errors: Array<{ job: string; code: string; message: string }>;
}

export class ServiceJobs {
  readonly runs: ServiceJobRuns;

  constructor(
    private readonly deps: BatchDeps,
    private readonly queues: JobQueues,
    private readonly policies: SchedulingPolicies,
    private readonly quotaShares: QuotaShares,
  ) {
    this.runs = new ServiceJobRuns(deps.serviceJobs, () => deps.clock.now());
  }

  submit(scope: Scope, input: Input): { jobArn: string; jobName: string; jobId: string } {
    if (Buffer.byteLength(JSON.stringify(input)) > QUOTAS.submitJobBytes) {
      throw clientError('The SubmitServiceJob request payload exceeds the maximum size of 30 KiB.');
    }
    const jobName = v.requireString(input, 'jobName', { pattern: JOB_NAME, patternText: 'can contain up to 128 letters (uppercase and lowercase), numbers, hyphens, and underscores' });
    const queueRef = v.requireString(input, 'jobQueue');
    const serviceJobType = v.requireEnum(input, 'serviceJobType', ['SAGEMAKER_TRAINING'] as const);
    const serviceRequestPayload = v.requireString(input, 'serviceRequestPayload');
    const schedulingPriority = v.optionalInteger(input, 'schedulingPriority', { min: 0, max: 9999 });
    const shareIdentifier = v.optionalString(input, 'shareIdentifier', { min: 1, max: 255 });
    const quotaShareName = v.optionalString(input, 'quotaShareName');
    const clientToken = v.optionalString(input, 'clientToken', { min: 1, max: 64 });
    const retryStrategy = readRetry(v.optionalObject(input, 'retryStrategy'));
    const preemption = v.optionalObject(input, 'preemptionConfiguration');
    const preemptionRetries = preemption ? v.optionalInteger(preemption, 'preemptionRetriesBeforeTermination', { min: 0, max: 10 }) : undefined;
    const timeout = v.optionalObject(input, 'timeoutConfig');
    const attemptDurationSeconds = timeout ? v.optionalInteger(timeout, 'attemptDurationSeconds', { min: 1 }) : undefined;
    const tags = tagsOnCreate(input);
    const payload = parsePayload(serviceRequestPayload);
    const fingerprint = createHash('sha256').update(JSON.stringify(input)).digest('hex');

    return this.deps.uow.transaction(() => {
      const queue = this.queues.find(scope, queueRef);
      if (!queue || queue.status === 'DELETING') throw clientError(`Job Queue ${queueRef} does not exist`);
      if (queue.state === 'DISABLED') throw clientError(`Job Queue ${queue.jobQueueArn} is DISABLED and cannot accept new jobs`);
      if (queue.jobQueueType !== 'SAGEMAKER_TRAINING') {
        throw clientError(`Job Queue ${queue.jobQueueArn} has jobQueueType ${queue.jobQueueType ?? 'ECS'}; service jobs need a SAGEMAKER_TRAINING job queue.`);
      }
      const policy = queue.schedulingPolicyArn ? this.policies.find(scope, queue.schedulingPolicyArn) : undefined;
      if (policy?.fairsharePolicy && !shareIdentifier) throw clientError('Share identifier is required for job queues with a fair share scheduling policy');
      if (!policy?.fairsharePolicy && shareIdentifier) throw clientError('shareIdentifier can only be specified for job queues with a fair share scheduling policy');
      if (policy?.quotaSharePolicy && !quotaShareName) throw clientError('quotaShareName is required for job queues with a quota share scheduling policy');
      if (!policy?.quotaSharePolicy && quotaShareName) throw clientError('quotaShareName can only be specified for job queues with a quota share scheduling policy');
      if (quotaShareName) {
        const share = this.quotaShares.byName(scope, queue.jobQueueName, quotaShareName);
        if (!share) throw clientError(`Quota share ${quotaShareName} does not exist in job queue ${queue.jobQueueArn}`);
        if (share.state === 'DISABLED') throw clientError(`Quota share ${share.quotaShareArn} is DISABLED and cannot accept new jobs`);
      }
      if (clientToken && this.deps.serviceJobs.list(scope).some((j) => j.internal.clientToken === clientToken)) {
        throw clientError(`A service job was already submitted with clientToken ${clientToken}.`);
      }
      const jobId = this.deps.ids.uuid();
      const resources = (payload.ResourceConfig ?? {}) as Record<string, unknown>;
      const detail: ServiceJobDetail = {
        jobArn: buildArn('batch', scope.region, scope.accountId, `service-job/${jobId}`),
        jobId,
        jobName,
        jobQueue: queue.jobQueueArn,
        serviceJobType,
        serviceRequestPayload,
        status: 'SUBMITTED',
        createdAt: this.deps.clock.now(),
        attempts: [],
        capacityUsage: [
          {
            capacityUnit: typeof resources.InstanceType === 'string' ? resources.InstanceType : 'NUM_INSTANCES',
            quantity: typeof resources.InstanceCount === 'number' ? resources.InstanceCount : 1,
          },
        ],
        ...(retryStrategy ? { retryStrategy } : {}),
        ...(schedulingPriority !== undefined ? { schedulingPriority } : {}),
        ...(shareIdentifier ? { shareIdentifier } : {}),
        ...(quotaShareName ? { quotaShareName } : {}),
        ...(preemption ? { preemptionConfiguration: preemptionRetries !== undefined ? { preemptionRetriesBeforeTermination: preemptionRetries } : {} } : {}),
        ...(timeout ? { timeoutConfig: attemptDurationSeconds !== undefined ? { attemptDurationSeconds } : {} } : {}),
        isTerminated: false,
        tags,
      };
      const job: ServiceJob = { detail, internal: { fingerprint, ...(clientToken ? { clientToken } : {}) } };
      this.deps.serviceJobs.insert(scope, jobId, job);
      this.runs.afterSubmit(scope, job);
      return { jobArn: detail.jobArn, jobName, jobId };
    });
  }

  find(scope: Scope, jobId: string): ServiceJob | undefined {
    return this.deps.serviceJobs.get(scope, jobId);
  }

  describe(scope: Scope, input: Input): ServiceJobDetail {
    const jobId = v.requireString(input, 'jobId');
    return this.require(scope, jobId).detail;
  }

  list(scope: Scope, input: Input): { jobSummaryList: Array<Record<string, unknown>>; nextToken?: string } {
    const queueRef = v.optionalString(input, 'jobQueue');
    const status = v.optionalEnum(input, 'jobStatus', SERVICE_JOB_STATUSES);
    const filters = readFilters(input, FILTERS);
    let jobs = this.deps.serviceJobs.list(scope).map((j) => j.detail);
    if (queueRef !== undefined) {
      const queue = this.queues.find(scope, queueRef);
      if (!queue) throw clientError(`Job Queue ${queueRef} does not exist`);
      jobs = jobs.filter((j) => j.jobQueue === queue.jobQueueArn);
    }
    const filter = filters[0];
    const combinable = !filter || filter.name === 'SHARE_IDENTIFIER' || filter.name === 'QUOTA_SHARE_NAME';
    if (combinable) jobs = jobs.filter((j) => j.status === (status ?? 'RUNNING'));
    if (filter) jobs = jobs.filter((j) => matches(j, filter.name, filter.values));
    // Newest first; the token is the last (createdAt, jobId) seen, so new jobs never shift a page.
    jobs.sort((a, b) => b.createdAt - a.createdAt || (a.jobId < b.jobId ? 1 : a.jobId > b.jobId ? -1 : 0));
    const maxResults = v.optionalInteger(input, 'maxResults', { min: 1, max: 100 }) ?? 100;
    const after = decodeToken<[number, string]>(v.optionalString(input, 'nextToken'));
    if (after !== undefined && (!Array.isArray(after) || typeof after[0] !== 'number' || typeof after[1] !== 'string')) throw clientError('Invalid nextToken.');
    if (after) jobs = jobs.filter((j) => j.createdAt < after[0] || (j.createdAt === after[0] && j.jobId < after[1]));
    const page = jobs.slice(0, maxResults);
    const last = page[page.length - 1];
    const nextToken = jobs.length > maxResults && last ? encodeToken([last.createdAt, last.jobId]) : undefined;
    return { jobSummaryList: page.map(summaryOf), ...(nextToken ? { nextToken } : {}) };
  }

  update(scope: Scope, input: Input): { jobArn: string; jobName: string; jobId: string } {
    const jobId = v.requireString(input, 'jobId');
    const schedulingPriority = v.optionalInteger(input, 'schedulingPriority', { min: 0, max: 9999 });
    if (schedulingPriority === undefined) throw clientError('schedulingPriority is required.');
    return this.deps.uow.transaction(() => {
      const job = this.require(scope, jobId);
      // The user guide's "Preemption" page: lowering a RUNNING job's priority makes it likelier to be preempted.
      const updated = this.runs.transition(scope, jobId, ['SUBMITTED', 'PENDING', 'RUNNABLE', 'SCHEDULED', 'STARTING', 'RUNNING'], job.detail.status, (j) => {
        j.detail.schedulingPriority = schedulingPriority;
      });
      if (!updated) throw clientError(`Service job ${jobId} is ${job.detail.status}; only jobs that have not finished can be updated.`);
      return { jobArn: job.detail.jobArn, jobName: job.detail.jobName, jobId };
    });
  }

  terminate(scope: Scope, input: Input): void {
    const jobId = v.requireString(input, 'jobId');
    const reason = v.requireString(input, 'reason', { max: 1024 });
    this.deps.uow.transaction(() => {
      this.require(scope, jobId);
      this.runs.terminate(scope, jobId, reason);
    });
  }

  terminateMany(scope: Scope, input: Input): BulkOutcome {
    const ids = v.optionalStringList(input, 'jobs', { max: BULK_MAX });
    if (!ids || ids.length === 0) throw clientError('jobs must contain at least one job ID.');
    const reason = v.requireString(input, 'reason', { max: 1024 });
    return eachJob(ids, (jobId) => this.terminate(scope, { jobId, reason }));
  }

  private require(scope: Scope, jobId: string): ServiceJob {
    const job = this.find(scope, jobId);
    if (!job) throw clientError(`Service job ${jobId} not found`);
    return job;
  }
}

/** Runs `act` per job; each job's ApiError becomes an error entry, as CancelJobs/TerminateJobs report. */
export function eachJob(ids: readonly string[], act: (jobId: string) => void): BulkOutcome {
  const out: BulkOutcome = { successful: [], errors: [] };
  for (const job of ids) {
    try {
      act(job);
      out.successful.push(job);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      out.errors.push({ job, code: error.code, message: error.message });
    }
  }
  return out;
}

function parsePayload(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw clientError('serviceRequestPayload must be a JSON object.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw clientError('serviceRequestPayload must be a JSON object.');
  return parsed as Record<string, unknown>;
}

function readRetry(input: Input | undefined): ServiceJobDetail['retryStrategy'] {
  if (!input) return undefined;
  const attempts = v.requireInteger(input, 'attempts', { min: 1, max: 10 });
  const rules = structList(input, 'evaluateOnExit');
  if (rules && rules.length > 5) throw clientError('evaluateOnExit can have at most 5 entries.');
  const evaluateOnExit = rules?.map((r) => {
    const action = v.optionalString(r, 'action')?.toUpperCase();
    if (action !== undefined && action !== 'RETRY' && action !== 'EXIT') throw clientError('evaluateOnExit.action must be one of: RETRY, EXIT.');
    const onStatusReason = v.optionalString(r, 'onStatusReason', { max: 512 });
    return { ...(action ? { action: action as 'RETRY' | 'EXIT' } : {}), ...(onStatusReason !== undefined ? { onStatusReason } : {}) };
  });
  return { attempts, ...(evaluateOnExit ? { evaluateOnExit } : {}) };
}

function matches(job: ServiceJobDetail, name: string, values: string[]): boolean {
  const value = values[0] ?? '';
  switch (name) {
    case 'JOB_NAME':
      return nameMatches(job.jobName, values);
    case 'BEFORE_CREATED_AT':
    case 'AFTER_CREATED_AT': {
      const at = Number(value);
      if (!Number.isFinite(at)) throw clientError(`${name} must be a number of milliseconds since the epoch.`);
      return name === 'BEFORE_CREATED_AT' ? job.createdAt < at : job.createdAt > at;
    }
    case 'SHARE_IDENTIFIER':
      return values.includes(job.shareIdentifier ?? '');
    default:
      return values.includes(job.quotaShareName ?? '');
  }
}

function summaryOf(d: ServiceJobDetail): Record<string, unknown> {
  return {
    ...(d.latestAttempt ? { latestAttempt: d.latestAttempt } : {}),
    capacityUsage: d.capacityUsage,
    createdAt: d.createdAt,
    jobArn: d.jobArn,
    jobId: d.jobId,
    jobName: d.jobName,
    ...(d.scheduledAt !== undefined ? { scheduledAt: d.scheduledAt } : {}),
    serviceJobType: d.serviceJobType,
    ...(d.shareIdentifier ? { shareIdentifier: d.shareIdentifier } : {}),
    ...(d.quotaShareName ? { quotaShareName: d.quotaShareName } : {}),
    status: d.status,
    ...(d.statusReason !== undefined ? { statusReason: d.statusReason } : {}),
    ...(d.startedAt !== undefined ? { startedAt: d.startedAt } : {}),
    ...(d.stoppedAt !== undefined ? { stoppedAt: d.stoppedAt } : {}),
    ...(d.isTerminated ? { isTerminated: true } : {}),
  };
}
