/**
 * Runs service jobs on an executor: each RUNNABLE service job whose payload names a
 * ContainerEntrypoint is placed on the first ENABLED, VALID service environment of its queue
 * with room under its capacity limit (instances) and within its quota share (quota-capacity.ts),
 * started as `TrainingImage` entrypoint + arguments, and finished from the executor's exit
 * report. Quota-share jobs that cannot be placed may preempt running ones (cross-share, in-share);
 * a preempted job's process is stopped and the job requeued. It sits in front of the scheduler as
 * the executor's event sink: events for other jobs go on to `next` unchanged.
 */
import { buildArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { BatchDeps } from './deps.js';
import type { ExecutionSpec, Executor, ExecutorEvents, ExitResult, JobLogSink, OutputLine } from './executor.js';
import { planPreemptions, shareAdmits } from './quota-capacity.js';
import type { Blocked, Holding, PreemptionKind } from './quota-capacity.js';
import type { QuotaShare, ServiceJob } from './scheduling-model.js';
import type { PreemptionReason, ServiceJobContainer, ServiceJobRuns } from './service-job-runs.js';
import { orderOf } from './service-environments.js';

export const SERVICE_JOB_LOG_GROUP = '/aws/sagemaker/TrainingJobs';
const BATCH = 100;
const TRAINING_JOB_NAME_MAX = 63;

/**
 * statusReasons of preemption. AWS's EventBridge "Batch Service Job Preemption Started" example
 * shows `PREEMPTION_IN_PROGRESS: Cross-share preemption triggered to reclaim borrowed capacity`;
 * the other texts, and the `PREEMPTED:` attempt reasons, are batchlink's wording in that form.
 */
export const PREEMPTION_REASONS: Record<PreemptionKind, PreemptionReason> = {
  borrowed: {
    inProgress: 'PREEMPTION_IN_PROGRESS: Cross-share preemption triggered to reclaim borrowed capacity',
    attempt: 'PREEMPTED: Cross-share preemption reclaimed borrowed capacity',
  },
  overLimit: {
    inProgress: "PREEMPTION_IN_PROGRESS: Cross-share preemption triggered to reclaim capacity above the quota share's capacity limits",
    attempt: "PREEMPTED: Cross-share preemption reclaimed capacity above the quota share's capacity limits",
  },
  inShare: {
    inProgress: 'PREEMPTION_IN_PROGRESS: In-share preemption triggered by a higher priority job',
    attempt: 'PREEMPTED: In-share preemption by a higher priority job',
  },
};

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
  /** The executor attempt: 1, then one more after each preemption. */
  attempt: number;
  environmentArn: string;
  instances: number;
  logStreamName: string;
  jobQueueArn: string;
  quotaShareName?: string;
  preempting?: true;
}

interface QueueView {
  environments: Array<{ arn: string; limit: number }>;
  shares: QuotaShare[];
}

interface Waiting {
  scope: Scope;
  job: ServiceJob;
  container: ServiceJobContainer;
}

export class ServiceJobRunner implements ExecutorEvents {
  private readonly active = new Map<string, Active>();
  private readonly views = new Map<string, QueueView>();

  constructor(private readonly o: ServiceJobRunnerOptions) {
    o.runs.runnerAttached = true;
    o.runs.stopRunning = (_scope, jobId, reason) => {
      const a = this.active.get(jobId);
      if (a) o.executor.terminate(jobId, a.attempt, reason);
    };
  }

  /** After a restart: STARTING/RUNNING service jobs the executor no longer runs are lost (one being preempted ends as preempted). */
  recover(): void {
    const running = new Set(this.o.executor.running().map((r) => r.jobId));
    this.o.deps.uow.transaction(() => {
      for (const { scope, job } of this.o.runs.started()) {
        if (!running.has(job.detail.jobId)) this.o.runs.finish(scope, job.detail.jobId, undefined, 'batchlink stopped while this service job was running; its process was lost.');
      }
    });
  }

  /** One pass: places what fits and starts it, then preempts for what does not. Returns how many jobs were started or preempted. */
  step(): number {
    const launches: ExecutionSpec[] = [];
    const stops: Array<{ jobId: string; attempt: number; reason: string }> = [];
    this.views.clear();
    this.o.deps.uow.transaction(() => {
      const waiting = byPriorityWithinShares(this.o.runs.dispatchable(BATCH));
      const demand = new Map<string, number>(); // queue/share -> instances its RUNNABLE jobs wait for
      for (const { job } of waiting) demand.set(shareKey(job), (demand.get(shareKey(job)) ?? 0) + instancesOf(job));
      const blocked: Waiting[] = [];
      for (const w of waiting) {
        const { scope, job, container } = w;
        const instances = instancesOf(job);
        const environmentArn = this.place(scope, job, instances, demand);
        if (!environmentArn) {
          blocked.push(w);
          continue;
        }
        const attempt = (job.detail.preemptionSummary?.preemptedAttemptCount ?? 0) + 1;
        const name = trainingJobName(job, attempt);
        const trainingJobArn = buildArn('sagemaker', scope.region, scope.accountId, `training-job/${name}`);
        if (!this.o.runs.moveToStarting(scope, job.detail.jobId, trainingJobArn)) continue;
        demand.set(shareKey(job), (demand.get(shareKey(job)) ?? 0) - instances);
        const logStreamName = `${name}/algo-1`;
        this.active.set(job.detail.jobId, {
          scope,
          attempt,
          environmentArn,
          instances,
          logStreamName,
          jobQueueArn: job.detail.jobQueue,
          ...(job.detail.quotaShareName ? { quotaShareName: job.detail.quotaShareName } : {}),
        });
        const timeoutSeconds = job.detail.timeoutConfig?.attemptDurationSeconds ?? container.timeoutSeconds;
        launches.push({
          jobId: job.detail.jobId,
          attempt,
          command: container.command,
          environment: { ...container.environment, TRAINING_JOB_NAME: name, TRAINING_JOB_ARN: trainingJobArn, AWS_REGION: scope.region },
          image: container.image,
          vcpus: 1,
          memory: 2048,
          ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
          logGroupName: SERVICE_JOB_LOG_GROUP,
          logStreamName,
        });
      }
      stops.push(...this.preempt(blocked));
    });
    for (const spec of launches) this.o.executor.start(spec);
    for (const { jobId, attempt, reason } of stops) this.o.executor.terminate(jobId, attempt, reason);
    return launches.length + stops.length;
  }

  /** The first ENABLED, VALID environment of the job's queue with `instances` free, or undefined. */
  private place(scope: Scope, job: ServiceJob, instances: number, demand: ReadonlyMap<string, number>): string | undefined {
    const { environments, shares } = this.queueView(scope, job.detail.jobQueue);
    if (environments.length === 0) return undefined;
    const shareName = job.detail.quotaShareName;
    if (shareName) {
      const share = shares.find((q) => q.quotaShareName === shareName);
      const waiting = (name: string) => demand.get(`${job.detail.jobQueue}/${name}`) ?? 0;
      if (!share || !shareAdmits(share, shares, [...this.active.values()], waiting, instances)) return undefined;
    }
    for (const env of environments) {
      let used = 0;
      for (const a of this.active.values()) if (a.environmentArn === env.arn) used += a.instances;
      if (used + instances <= env.limit) return env.arn;
    }
    return undefined;
  }

  /**
   * A queue's service environments and quota shares, read once per pass (`views` is cleared when
   * a pass starts; nothing in a pass changes them).
   */
  private queueView(scope: Scope, jobQueueArn: string): QueueView {
    const key = `${scope.accountId}/${scope.region}/${jobQueueArn}`;
    let view = this.views.get(key);
    if (!view) {
      view = { environments: this.environmentsOf(scope, jobQueueArn), shares: this.o.deps.quotaShares.list(scope).filter((q) => q.jobQueueArn === jobQueueArn) };
      this.views.set(key, view);
    }
    return view;
  }

  /** The queue's ENABLED, VALID service environments in order with their instance limits; none when the queue is not ENABLED. */
  private environmentsOf(scope: Scope, jobQueueArn: string): Array<{ arn: string; limit: number }> {
    const queue = this.o.deps.jobQueues.list(scope).find((q) => q.jobQueueArn === jobQueueArn);
    if (!queue || queue.state !== 'ENABLED') return [];
    const all = this.o.deps.serviceEnvironments.list(scope);
    const out: Array<{ arn: string; limit: number }> = [];
    for (const { serviceEnvironment } of orderOf(queue)) {
      const env = all.find((e) => e.serviceEnvironmentArn === serviceEnvironment);
      if (env && env.state === 'ENABLED' && env.status === 'VALID') out.push({ arn: serviceEnvironment, limit: env.capacityLimits.reduce((n, c) => n + (c.maxCapacity ?? 0), 0) });
    }
    return out;
  }

  /** What every started service job holds, with its current priority and start time. */
  private holdings(): Holding[] {
    const out: Holding[] = [];
    for (const [jobId, a] of this.active) {
      const detail = this.o.deps.serviceJobs.get(a.scope, jobId)?.detail;
      out.push({
        jobId,
        jobQueueArn: a.jobQueueArn,
        ...(a.quotaShareName ? { quotaShareName: a.quotaShareName } : {}),
        environmentArn: a.environmentArn,
        instances: a.instances,
        schedulingPriority: detail?.schedulingPriority ?? 0,
        startedAt: detail?.startedAt ?? detail?.scheduledAt ?? 0,
        preempting: a.preempting === true,
      });
    }
    return out;
  }

  /**
   * Preemption (AWS user guide, "Preemption"): for quota-share jobs that could not be placed,
   * marks the jobs `planPreemptions` picks and returns the processes to stop. Each preempted job
   * keeps its place until its process has stopped; `exited` then requeues (or fails) it.
   */
  private preempt(blocked: readonly Waiting[]): Array<{ jobId: string; attempt: number; reason: string }> {
    const candidates: Blocked[] = [];
    for (const { scope, job } of blocked) {
      if (!job.detail.quotaShareName) continue;
      candidates.push({
        jobId: job.detail.jobId,
        jobQueueArn: job.detail.jobQueue,
        quotaShareName: job.detail.quotaShareName,
        instances: instancesOf(job),
        schedulingPriority: job.detail.schedulingPriority ?? 0,
        ...this.queueView(scope, job.detail.jobQueue),
      });
    }
    if (candidates.length === 0) return [];
    const stops: Array<{ jobId: string; attempt: number; reason: string }> = [];
    for (const { jobId, kind } of planPreemptions(candidates, this.holdings())) {
      const a = this.active.get(jobId);
      const reason = PREEMPTION_REASONS[kind];
      if (!a || !this.o.runs.beginPreemption(a.scope, jobId, reason)) continue;
      a.preempting = true;
      stops.push({ jobId, attempt: a.attempt, reason: reason.inProgress });
    }
    return stops;
  }

  // ---- executor events ----

  started(jobId: string, attempt: number, info: { hostId: string; taskId?: string }): void {
    const a = this.active.get(jobId);
    if (!a) return this.o.next.started(jobId, attempt, info);
    if (a.attempt !== attempt) return;
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
    if (a.attempt !== attempt) return;
    this.active.delete(jobId);
    const reason = result.cause === 'timeout' ? 'MaxRuntimeExceeded: Training job attempt duration exceeded timeout' : result.cause === 'launchFailed' ? result.reason : undefined;
    this.o.deps.uow.transaction(() => this.o.runs.finish(a.scope, jobId, result.exitCode, reason));
  }
}

function instancesOf(job: ServiceJob): number {
  return job.detail.capacityUsage.reduce((n, c) => n + c.quantity, 0);
}

function shareKey(job: ServiceJob): string {
  return `${job.detail.jobQueue}/${job.detail.quotaShareName ?? ''}`;
}

/**
 * Within each quota share, a higher schedulingPriority is placed first ("Jobs with a higher
 * scheduling priority are scheduled before jobs with a lower scheduling priority within a
 * share"), submission order between equals; the positions a share's jobs hold in the list stay.
 */
function byPriorityWithinShares(list: Waiting[]): Waiting[] {
  const groups = new Map<string, Waiting[]>();
  for (const w of list) {
    if (!w.job.detail.quotaShareName) continue;
    const group = groups.get(shareKey(w.job)) ?? [];
    group.push(w);
    groups.set(shareKey(w.job), group);
  }
  for (const group of groups.values()) group.sort((a, b) => (b.job.detail.schedulingPriority ?? 0) - (a.job.detail.schedulingPriority ?? 0));
  const next = new Map<string, number>();
  return list.map((w) => {
    if (!w.job.detail.quotaShareName) return w;
    const key = shareKey(w.job);
    const i = next.get(key) ?? 0;
    next.set(key, i + 1);
    return groups.get(key)?.[i] ?? w;
  });
}

/** The training job's name: the payload's TrainingJobName (else the job name); a run after a preemption adds `-<attempt>`, as SageMaker names are unique. */
function trainingJobName(job: ServiceJob, attempt: number): string {
  let base = job.detail.jobName;
  try {
    const payload = JSON.parse(job.detail.serviceRequestPayload) as { TrainingJobName?: unknown };
    if (typeof payload.TrainingJobName === 'string' && payload.TrainingJobName) base = payload.TrainingJobName;
  } catch {
    // validated at submission; fall through
  }
  if (attempt === 1) return base;
  const suffix = `-${attempt}`;
  return `${base.slice(0, TRAINING_JOB_NAME_MAX - suffix.length)}${suffix}`;
}
