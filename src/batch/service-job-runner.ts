/**
 * Runs service jobs on an executor: each RUNNABLE service job whose payload names a
 * ContainerEntrypoint is placed on the first ENABLED, VALID service environment of its queue
 * with room under its capacity limit (instances), started as `TrainingImage` entrypoint +
 * arguments, and finished from the executor's exit report. It sits in front of the scheduler
 * as the executor's event sink: events for other jobs go on to `next` unchanged.
 */
import { buildArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { BatchDeps } from './deps.js';
import type { ExecutionSpec, Executor, ExecutorEvents, ExitResult, JobLogSink, OutputLine } from './executor.js';
import type { QuotaShare, ServiceJob } from './scheduling-model.js';
import type { ServiceJobRuns } from './service-job-runs.js';
import { orderOf } from './service-environments.js';

export const SERVICE_JOB_LOG_GROUP = '/aws/sagemaker/TrainingJobs';
const ATTEMPT = 1; // service job retries are not run yet: one attempt per job
const BATCH = 100;

export interface ServiceJobRunnerOptions {
  deps: BatchDeps;
  runs: ServiceJobRuns;
  executor: Executor;
  logSink: JobLogSink;
  /** Where events for jobs that are not service jobs go (the scheduler). */
  next: ExecutorEvents;
}

interface Active {
  scope: Scope;
  environmentArn: string;
  instances: number;
  logStreamName: string;
  jobQueueArn: string;
  quotaShareName?: string;
}

export class ServiceJobRunner implements ExecutorEvents {
  private readonly active = new Map<string, Active>();

  constructor(private readonly o: ServiceJobRunnerOptions) {
    o.runs.runnerAttached = true;
    o.runs.stopRunning = (_scope, jobId, reason) => o.executor.terminate(jobId, ATTEMPT, reason);
  }

  /** After a restart: STARTING/RUNNING service jobs the executor no longer runs are lost. */
  recover(): void {
    const running = new Set(this.o.executor.running().map((r) => r.jobId));
    this.o.deps.uow.transaction(() => {
      for (const { scope, job } of this.o.runs.started()) {
        if (!running.has(job.detail.jobId)) this.o.runs.finish(scope, job.detail.jobId, undefined, 'batchlink stopped while this service job was running; its process was lost.');
      }
    });
  }

  /** One pass: places what fits and starts it. Returns how many jobs were started. */
  step(): number {
    const launches: ExecutionSpec[] = [];
    this.o.deps.uow.transaction(() => {
      for (const { scope, job, container } of this.o.runs.dispatchable(BATCH)) {
        const instances = job.detail.capacityUsage.reduce((n, c) => n + c.quantity, 0);
        const environmentArn = this.place(scope, job, instances);
        if (!environmentArn) continue;
        const trainingJobArn = buildArn('sagemaker', scope.region, scope.accountId, `training-job/${trainingJobName(job)}`);
        const moved = this.o.runs.moveToStarting(scope, job.detail.jobId, trainingJobArn);
        if (!moved) continue;
        const logStreamName = `${trainingJobName(job)}/algo-1`;
        this.active.set(job.detail.jobId, {
          scope,
          environmentArn,
          instances,
          logStreamName,
          jobQueueArn: job.detail.jobQueue,
          ...(job.detail.quotaShareName ? { quotaShareName: job.detail.quotaShareName } : {}),
        });
        const timeoutSeconds = job.detail.timeoutConfig?.attemptDurationSeconds ?? container.timeoutSeconds;
        launches.push({
          jobId: job.detail.jobId,
          attempt: ATTEMPT,
          command: container.command,
          environment: { ...container.environment, TRAINING_JOB_NAME: trainingJobName(job), TRAINING_JOB_ARN: trainingJobArn, AWS_REGION: scope.region },
          image: container.image,
          vcpus: 1,
          memory: 2048,
          ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
          logGroupName: SERVICE_JOB_LOG_GROUP,
          logStreamName,
        });
      }
    });
    for (const spec of launches) this.o.executor.start(spec);
    return launches.length;
  }

  /** The first ENABLED, VALID environment of the job's queue with `instances` free, or undefined. */
  private place(scope: Scope, job: ServiceJob, instances: number): string | undefined {
    const queue = this.o.deps.jobQueues.list(scope).find((q) => q.jobQueueArn === job.detail.jobQueue);
    if (!queue || queue.state !== 'ENABLED') return undefined;
    if (job.detail.quotaShareName && !this.shareAdmits(scope, queue.jobQueueArn, job.detail.quotaShareName, instances)) return undefined;
    for (const { serviceEnvironment } of orderOf(queue)) {
      const env = this.o.deps.serviceEnvironments.list(scope).find((e) => e.serviceEnvironmentArn === serviceEnvironment);
      if (!env || env.state !== 'ENABLED' || env.status !== 'VALID') continue;
      const limit = env.capacityLimits.reduce((n, c) => n + (c.maxCapacity ?? 0), 0);
      let used = 0;
      for (const a of this.active.values()) if (a.environmentArn === serviceEnvironment) used += a.instances;
      if (used + instances <= limit) return serviceEnvironment;
    }
    return undefined;
  }

  /**
   * Quota shares: a job runs within its share's capacity limit; a LEND_AND_BORROW share may go
   * beyond it by borrowing what ENABLED LEND/LEND_AND_BORROW shares of the queue leave idle, up to
   * borrowLimit percent of its own limit (-1: no limit). A DISABLED or unknown share runs nothing.
   * Preemption is not modelled.
   */
  private shareAdmits(scope: Scope, jobQueueArn: string, shareName: string, instances: number): boolean {
    const shares = this.o.deps.quotaShares.list(scope).filter((q) => q.jobQueueArn === jobQueueArn);
    const share = shares.find((q) => q.quotaShareName === shareName);
    if (!share || share.state !== 'ENABLED') return false;
    const limitOf = (q: QuotaShare) => q.capacityLimits.reduce((n, c) => n + c.maxCapacity, 0);
    const usedBy = (name: string) => {
      let used = 0;
      for (const a of this.active.values()) if (a.jobQueueArn === jobQueueArn && a.quotaShareName === name) used += a.instances;
      return used;
    };
    const limit = limitOf(share);
    const used = usedBy(shareName);
    if (used + instances <= limit) return true;
    const sharing = share.resourceSharingConfiguration;
    if (sharing.strategy !== 'LEND_AND_BORROW') return false;
    const borrowLimit = sharing.borrowLimit ?? -1;
    const maxBorrow = borrowLimit < 0 ? Infinity : (limit * borrowLimit) / 100;
    if (used + instances - limit > maxBorrow) return false;
    // Idle capacity of lending shares, less what borrowers already took from it.
    let idle = 0;
    let borrowedByAll = 0;
    for (const other of shares) {
      const overLimit = usedBy(other.quotaShareName) - limitOf(other);
      if (overLimit > 0) borrowedByAll += overLimit;
      if (other.quotaShareName === shareName || other.state !== 'ENABLED' || other.resourceSharingConfiguration.strategy === 'RESERVE') continue;
      idle += Math.max(0, -overLimit);
    }
    const extra = used + instances - limit - Math.max(0, used - limit); // what this job adds to the borrowing
    return extra <= idle - borrowedByAll;
  }

  // ---- executor events ----

  started(jobId: string, attempt: number, info: { hostId: string; taskId?: string }): void {
    const a = this.active.get(jobId);
    if (!a) return this.o.next.started(jobId, attempt, info);
    this.o.deps.uow.transaction(() => this.o.runs.moveToRunning(a.scope, jobId));
  }

  output(jobId: string, attempt: number, lines: OutputLine[]): void {
    const a = this.active.get(jobId);
    if (!a) return this.o.next.output(jobId, attempt, lines);
    if (lines.length > 0) this.o.logSink.appendJobOutput(a.scope, SERVICE_JOB_LOG_GROUP, a.logStreamName, lines);
  }

  exited(jobId: string, attempt: number, result: ExitResult): void {
    const a = this.active.get(jobId);
    if (!a) return this.o.next.exited(jobId, attempt, result);
    this.active.delete(jobId);
    const reason = result.cause === 'timeout' ? 'MaxRuntimeExceeded: Training job attempt duration exceeded timeout' : result.cause === 'launchFailed' ? result.reason : undefined;
    this.o.deps.uow.transaction(() => this.o.runs.finish(a.scope, jobId, result.exitCode, reason));
  }
}

function trainingJobName(job: ServiceJob): string {
  try {
    const payload = JSON.parse(job.detail.serviceRequestPayload) as { TrainingJobName?: unknown };
    if (typeof payload.TrainingJobName === 'string' && payload.TrainingJobName) return payload.TrainingJobName;
  } catch {
    // validated at submission; fall through
  }
  return job.detail.jobName;
}
