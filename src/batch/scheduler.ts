/**
 * The scheduler: one `step()` is one pass — settle compute environments and queues, move
 * SUBMITTED jobs on, cancel blocked jobs past a queue's time limit, and dispatch RUNNABLE jobs
 * by queue priority, then compute-environment order, within each environment's vCPU and memory
 * capacity (capacity.ts; multi-node jobs as one gang, gang-placement.ts). It also receives
 * executor events and turns them into transitions and log events. In auto mode a change wakes
 * it at the next tick; tests call `step()` themselves.
 */
import type { Clock } from '../core/clock.js';
import type { Scope } from '../core/context.js';
import type { UnitOfWork } from '../core/repository.js';
import type { BatchDomain } from './batch-domain.js';
import type { Capacity, Need } from './capacity.js';
import { CapacityLedger, capacityOf, needOf, total } from './capacity.js';
import { BlockedJobs } from './blocked-jobs.js';
import type { Executor, ExecutorEvents, ExitResult, JobLogSink, OutputLine } from './executor.js';
import type { JobCursor, JobRepository } from './job-repository.js';
import type { ComputeEnvironment, JobQueue, JobRecord } from './model.js';
import { shouldRetry } from './retry-strategy.js';
import type { ConsumableResourceRequirement, SchedulingPolicy } from './scheduling-model.js';
import { weightOf } from './scheduling-policies.js';
import { DEFAULT_SHARE_DECAY_SECONDS, ShareUsage } from './share-usage.js';
import { buildJobEnvironment, substituteParameters } from './job-environment.js';
import { MultiNodeGangs } from './gang-placement.js';
import type { Launch } from './gang-placement.js';

export const JOB_LOG_GROUP = '/aws/batch/job';
const EXITED_REASON = 'Essential container in task exited';
const TIMEOUT_REASON = 'Job attempt duration exceeded timeout';
const DISPATCH_BATCH = 2000;
/** RUNNABLE jobs read at a time by a FIFO queue's dispatch (more pages while capacity is left). */
const DISPATCH_PAGE = 100;
/** Passes run at most this often while changes keep coming (SUBMITTED -> RUNNING stays a few ms). */
const MIN_PASS_INTERVAL_MS = 5;

interface SchedulerLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface SchedulerDeps {
  batch: BatchDomain;
  jobs: JobRepository;
  executors: Record<string, Executor>;
  defaultExecutor: string;
  logSink: JobLogSink;
  uow: UnitOfWork;
  clock: Clock;
  logger: SchedulerLogger;
  auto: boolean;
  /** The instance id reported for lost jobs (AWS: "Host EC2 (instance i-…) terminated."). */
  hostInstanceId: string;
}

/** Another pass that runs after each scheduling pass (the service-job runner); returns changes. */
export type ExtraPass = () => number;

interface ActiveAttempt {
  scope: Scope;
  attempt: number;
  vcpus: number;
  memory: number;
  computeEnvironmentArn: string;
  queueArn: string;
  shareIdentifier?: string;
  consumables: ConsumableResourceRequirement[];
  logStreamName: string;
  executor: Executor;
  /** When the scheduler placed it (fair share counts vCPU-seconds from here). */
  startedAt: number;
}

/** The consumable resources a job holds while it runs. */
function consumablesOf(record: JobRecord): ConsumableResourceRequirement[] {
  const props = record.detail.consumableResourceProperties as { consumableResourceList?: ConsumableResourceRequirement[] } | undefined;
  return props?.consumableResourceList ?? [];
}

export class Scheduler implements ExecutorEvents {
  private readonly usage = new CapacityLedger(); // compute environment ARN -> vCPUs and MiB in use or held
  private readonly active = new Map<string, ActiveAttempt>(); // jobId -> attempt in flight
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly extraPasses: ExtraPass[] = [];
  private readonly shareUsage = new ShareUsage();
  private lastPassAt = -Infinity;
  private readonly gangs: MultiNodeGangs;
  private readonly blocked: BlockedJobs;

  constructor(private readonly deps: SchedulerDeps) {
    this.blocked = new BlockedJobs(deps.jobs, deps.batch.transitions, deps.clock);
    this.gangs = new MultiNodeGangs({
      jobs: deps.jobs,
      ledger: this.usage,
      reserveConsumables: (scope, record) => this.reserveConsumables(scope, record),
      releaseConsumables: (scope, record) => this.releaseConsumables(scope, record),
      fitsNow: (ce, capacity, needs) => this.fitsNow(ce, capacity, needs),
      place: (scope, queue, ce, record) => this.place(scope, queue, ce, record),
      markBlocked: (record, reason) => this.blocked.mark(record, reason),
      findQueue: (scope, arn) => deps.batch.queues.find(scope, arn),
      findEnvironment: (scope, arn) => deps.batch.environments.find(scope, arn),
    });
  }

  addPass(pass: ExtraPass): void {
    this.extraPasses.push(pass);
  }

  /** Re-reads in-flight jobs after a restart: attempts no executor still runs are lost. */
  recover(): void {
    const now = this.deps.clock.now();
    for (const record of this.deps.jobs.byStatus(['STARTING', 'RUNNING'], Number.MAX_SAFE_INTEGER)) {
      const executor = this.deps.executors[record.internal.executor ?? this.deps.defaultExecutor];
      const stillRunning = executor?.running().some((r) => r.jobId === record.detail.jobId && r.attempt === record.internal.attempt);
      if (executor && stillRunning) {
        this.track(record, executor);
        continue;
      }
      this.releaseConsumables({ accountId: record.internal.accountId, region: record.internal.region }, record);
      if (record.internal.taskId !== undefined) executor?.cleanupLost?.(record.detail.jobId, record.internal.attempt, record.internal.taskId);
      this.deps.batch.transitions.moveToLost(
        record.detail.jobId,
        now,
        `Host EC2 (instance ${this.deps.hostInstanceId}) terminated.`,
        'batchlink stopped while this job was running; its process was lost.',
      );
    }
  }

  start(): void {
    if (!this.deps.auto) return;
    this.timer = setInterval(() => {
      this.deps.batch.settleNeeded = true;
      this.wake();
    }, 1000);
    this.timer.unref();
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Schedules a pass: at the next tick, or — when the last pass was less than MIN_PASS_INTERVAL_MS
   * ago — when that interval is over, so a busy server batches many changes into one pass.
   */
  wake(): void {
    if (!this.deps.auto || this.scheduled || this.stopped) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.lastPassAt = performance.now();
      try {
        if (this.step() > 0) this.wake();
      } catch (error) {
        this.deps.logger.error('scheduler pass failed', { error: error instanceof Error ? error.stack : String(error) });
      }
    };
    const wait = this.lastPassAt + MIN_PASS_INTERVAL_MS - performance.now();
    if (wait <= 0) setImmediate(run);
    else setTimeout(run, wait);
  }

  /** One scheduling pass. Returns how many things changed. */
  step(): number {
    this.deps.uow.flush(); // what the API acknowledged is committed before anything is launched
    const launches: Launch[] = [];
    const changed = this.deps.uow.transaction(() => {
      let n = 0;
      if (this.deps.batch.settleNeeded) {
        this.deps.batch.settleNeeded = false;
        n += this.deps.batch.environments.settle();
        n += this.settleQueues();
      }
      n += this.deps.batch.arrays.spawn();
      n += this.advanceSubmitted();
      const queues = this.deps.batch.queues.allByPriority();
      n += this.blocked.enforceTimeLimits(queues, DISPATCH_BATCH);
      n += this.gangs.launchHeld(launches);
      n += this.dispatch(queues, launches);
      return n;
    });
    for (const { executor, spec } of launches) executor.start(spec);
    return this.extraPasses.reduce((n, pass) => n + pass(), changed);
  }

  private settleQueues(): number {
    const deleting = this.deps.batch.queues.settle();
    const now = this.deps.clock.now();
    for (const { scope, queue } of deleting) {
      // AWS ends the jobs of a deleted queue: waiting jobs fail, running ones are terminated.
      for (const record of this.deps.jobs.list({ scope, queueArn: queue.jobQueueArn, statuses: ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING'], limit: 100_000 }).records) {
        if (!this.deps.batch.transitions.moveToFailedBeforeStart(record.detail.jobId, now, 'Job queue deleted', 'isTerminated')) {
          this.terminate(record, 'Job queue deleted');
        }
      }
      this.deps.batch.quotaShares.removeForQueue(scope, queue.jobQueueArn);
      this.deps.batch.serviceJobs.runs.endForQueue(scope, queue.jobQueueArn, 'Job queue deleted');
      this.deps.batch.queues.remove(scope, queue);
    }
    return deleting.length;
  }

  /** SUBMITTED jobs go PENDING (waiting on dependencies) or RUNNABLE; array parents follow their children (job-graph.ts). */
  private advanceSubmitted(): number {
    const ready = this.deps.batch.transitions.moveReadyToRunnable(this.deps.clock.now(), DISPATCH_BATCH);
    const submitted = this.deps.jobs.awaitingAdmission(DISPATCH_BATCH);
    for (const record of submitted) this.deps.batch.graph.admit(record);
    return ready + submitted.length;
  }

  private dispatch(queues: Array<{ scope: Scope; queue: JobQueue }>, launches: Launch[]): number {
    let n = 0;
    for (const { scope, queue } of queues) {
      if (queue.state !== 'ENABLED' || queue.status !== 'VALID') continue;
      const environments = this.environmentsOf(scope, queue);
      const capacities = environments.map(capacityOf);
      const hasRoom = () => environments.some((ce, i) => this.hasFree(ce, capacities[i] as Capacity));
      // Nothing can start without free capacity: do not read the waiting jobs at all.
      if (!hasRoom()) continue;
      const policy = queue.schedulingPolicyArn ? this.deps.batch.policies.find(scope, queue.schedulingPolicyArn) : undefined;
      const gangsSeen = new Set<string>();
      if (policy?.fairsharePolicy) {
        // Fair share orders every waiting job of the pass at once.
        const { records } = this.deps.jobs.list({ scope, queueArn: queue.jobQueueArn, statuses: ['RUNNABLE'], limit: DISPATCH_BATCH, oldestFirst: true });
        const startable = this.blocked.withoutBlocked(records, capacities);
        n += this.placeInOrder(scope, queue, environments, capacities, this.fairShareOrder(queue, policy, startable, environments, capacities), launches, gangsSeen);
        continue;
      }
      // FIFO: read the oldest RUNNABLE jobs a page at a time while capacity is left, so a full
      // environment with a long queue costs one small read, not DISPATCH_BATCH parsed jobs.
      let cursor: JobCursor | undefined;
      let read = 0;
      do {
        const page = this.deps.jobs.list({ scope, queueArn: queue.jobQueueArn, statuses: ['RUNNABLE'], limit: DISPATCH_PAGE, oldestFirst: true, ...(cursor ? { cursor } : {}) });
        read += page.records.length;
        cursor = page.next;
        n += this.placeInOrder(scope, queue, environments, capacities, this.blocked.withoutBlocked(page.records, capacities), launches, gangsSeen);
      } while (cursor && read < DISPATCH_BATCH && hasRoom());
    }
    return n;
  }

  /** Reserves the job's consumable resources; true when it has none, or they were free. */
  private reserveConsumables(scope: Scope, record: JobRecord): boolean {
    const needed = consumablesOf(record);
    return needed.length === 0 || this.deps.batch.consumables.reserve(scope, needed);
  }

  private releaseConsumables(scope: Scope, record: JobRecord): void {
    const held = consumablesOf(record);
    if (held.length > 0) this.deps.batch.consumables.release(scope, held);
  }

  /** Places jobs in the given order wherever they fit now (a multi-node job as one gang). */
  private placeInOrder(scope: Scope, queue: JobQueue, environments: ComputeEnvironment[], capacities: Capacity[], ordered: JobRecord[], launches: Launch[], gangsSeen: Set<string>): number {
    let n = 0;
    for (const record of ordered) {
      if (record.internal.role === 'mnpNode') {
        const parentId = record.internal.parentId ?? '';
        if (gangsSeen.has(parentId)) continue;
        gangsSeen.add(parentId);
        n += this.gangs.place(scope, queue, environments, capacities, record, launches);
        continue;
      }
      const need = [needOf(record)];
      const ce = environments.find((e, i) => this.fitsNow(e, capacities[i] as Capacity, need));
      if (!ce) continue;
      if (!this.reserveConsumables(scope, record)) continue;
      const launch = this.place(scope, queue, ce, record);
      if (launch) {
        launches.push(launch);
        n++;
      } else {
        this.releaseConsumables(scope, record);
      }
    }
    return n;
  }

  /**
   * Fair-share order for one pass: repeatedly take the next job (highest schedulingPriority,
   * then oldest) of the share with the lowest weighted usage — weightFactor x (vCPUs in use now +
   * its recent usage: vCPU-seconds decayed over the policy's shareDecaySeconds window, 600 s when
   * 0, divided by that window) — so that under contention shares receive capacity in inverse
   * proportion to their weight factors and a share that ran a lot recently waits its turn.
   * computeReservation keeps (computeReservation/100)^activeShares of maxvCpus for shares with
   * nothing running. Jobs that would not fit are left out of this pass.
   */
  private fairShareOrder(queue: JobQueue, policy: SchedulingPolicy, records: JobRecord[], environments: ComputeEnvironment[], capacities: Capacity[]): JobRecord[] {
    const byShare = new Map<string, JobRecord[]>();
    for (const record of records) {
      const share = record.detail.shareIdentifier ?? '';
      byShare.set(share, [...(byShare.get(share) ?? []), record]);
    }
    for (const jobs of byShare.values()) jobs.sort((a, b) => (b.detail.schedulingPriority ?? 0) - (a.detail.schedulingPriority ?? 0));
    const inUse = new Map<string, number>();
    for (const attempt of this.active.values()) {
      if (attempt.queueArn === queue.jobQueueArn) inUse.set(attempt.shareIdentifier ?? '', (inUse.get(attempt.shareIdentifier ?? '') ?? 0) + attempt.vcpus);
    }
    const window = policy.fairsharePolicy?.shareDecaySeconds || DEFAULT_SHARE_DECAY_SECONDS;
    const now = this.deps.clock.now();
    const runningByShare = new Map<string, Array<{ vcpus: number; startedAt: number }>>();
    for (const attempt of this.active.values()) {
      if (attempt.queueArn !== queue.jobQueueArn) continue;
      const share = attempt.shareIdentifier ?? '';
      runningByShare.set(share, [...(runningByShare.get(share) ?? []), attempt]);
    }
    const recent = new Map([...byShare.keys()].map((share) => [share, this.shareUsage.recent(queue.jobQueueArn, share, runningByShare.get(share) ?? [], window, now)]));
    let free = environments.reduce((sum, ce, i) => sum + Math.max(0, this.freeVcpus(ce, capacities[i] as Capacity)), 0);
    const maxvCpus = environments.reduce((sum, ce) => sum + (ce.computeResources?.maxvCpus ?? ce.unmanagedvCpus ?? 0), 0);
    const reservation = (policy.fairsharePolicy?.computeReservation ?? 0) / 100;
    const ordered: JobRecord[] = [];
    for (;;) {
      let best: string | undefined;
      let bestScore = Infinity;
      for (const [share, jobs] of byShare) {
        if (jobs.length === 0) continue;
        const score = ((inUse.get(share) ?? 0) + (recent.get(share) ?? 0)) * weightOf(policy, share);
        if (score < bestScore || (score === bestScore && best !== undefined && (jobs[0]?.detail.createdAt ?? 0) < (byShare.get(best)?.[0]?.detail.createdAt ?? 0))) {
          best = share;
          bestScore = score;
        }
      }
      if (best === undefined) break;
      const job = byShare.get(best)?.shift();
      if (!job) break;
      const activeShares = [...inUse.values()].filter((v) => v > 0).length;
      const reserved = (inUse.get(best) ?? 0) > 0 && reservation > 0 ? maxvCpus * reservation ** activeShares : 0;
      if (free - job.internal.vcpus < reserved) {
        byShare.set(best, []); // this share cannot grow further in this pass
        continue;
      }
      free -= job.internal.vcpus;
      inUse.set(best, (inUse.get(best) ?? 0) + job.internal.vcpus);
      ordered.push(job);
    }
    return ordered;
  }

  private environmentsOf(scope: Scope, queue: JobQueue): ComputeEnvironment[] {
    return queue.computeEnvironmentOrder
      .map((o) => this.deps.batch.environments.find(scope, o.computeEnvironment))
      .filter((ce): ce is ComputeEnvironment => ce !== undefined && ce.state === 'ENABLED' && ce.status === 'VALID');
  }

  /** vCPUs an environment can still give out: its capacity less what runs, and what its executor has free. */
  private freeVcpus(ce: ComputeEnvironment, capacity: Capacity): number {
    const left = capacity.vcpus - this.usage.of(ce.computeEnvironmentArn).vcpus;
    const executor = this.deps.executors[ce.tags?.['batchlink:executor'] ?? this.deps.defaultExecutor];
    const hint = executor?.availableVcpus?.(executorSettings(ce));
    return hint === undefined ? left : Math.min(left, hint);
  }

  private hasFree(ce: ComputeEnvironment, capacity: Capacity): boolean {
    return this.freeVcpus(ce, capacity) > 0 && capacity.memory - this.usage.of(ce.computeEnvironmentArn).memory > 0;
  }

  /** Whether jobs (or the nodes of one gang) fit in what the environment has free now, each on one instance. */
  private fitsNow(ce: ComputeEnvironment, capacity: Capacity, needs: readonly Need[]): boolean {
    const sum = total(needs);
    const freeMemory = capacity.memory - this.usage.of(ce.computeEnvironmentArn).memory;
    return this.freeVcpus(ce, capacity) >= sum.vcpus && freeMemory >= sum.memory && needs.every((n) => capacity.fitsOne(n));
  }

  private place(scope: Scope, queue: JobQueue, ce: ComputeEnvironment, record: JobRecord): Launch | undefined {
    const executorName = ce.tags?.['batchlink:executor'] ?? this.deps.defaultExecutor;
    const executor = this.deps.executors[executorName];
    const jobId = record.detail.jobId;
    const now = this.deps.clock.now();
    if (!executor) {
      this.deps.batch.transitions.moveToFailedBeforeStart(jobId, now, `CannotStartContainerError: compute environment ${ce.computeEnvironmentName} names executor "${executorName}", which this batchlink server does not run.`);
      return undefined;
    }
    const missingRole = this.missingRole(record);
    if (missingRole) {
      this.deps.batch.transitions.moveToFailedBeforeStart(
        jobId,
        now,
        `ECS was unable to assume the role '${missingRole}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
      );
      return undefined;
    }
    const taskId = this.deps.batch.deps.ids.hex(32);
    const logStreamName = `${record.internal.jobDefinitionName}/default/${taskId}`;
    const moved = this.deps.batch.transitions.moveToStarting(jobId, {
      computeEnvironmentArn: ce.computeEnvironmentArn,
      logStreamName,
      taskArn: `arn:${scope.region.startsWith('cn-') ? 'aws-cn' : 'aws'}:ecs:${scope.region}:${scope.accountId}:task/AWSBatch-${ce.computeEnvironmentName}-${ce.uuid}/${taskId}`,
      executor: executorName,
    });
    if (!moved) return undefined;
    this.track(moved, executor);
    const container = moved.detail.container ?? {};
    const command = substituteParameters(container.command ?? [], moved.detail.parameters);
    const settings = executorSettings(ce);
    return {
      executor,
      spec: {
        jobId,
        attempt: moved.internal.attempt,
        command,
        environment: buildJobEnvironment(moved, queue, ce),
        image: String(container.image ?? ''),
        vcpus: moved.internal.vcpus,
        memory: moved.internal.memory,
        ...(moved.detail.timeout?.attemptDurationSeconds !== undefined ? { timeoutSeconds: moved.detail.timeout.attemptDurationSeconds } : {}),
        logGroupName: JOB_LOG_GROUP,
        logStreamName,
        settings,
      },
    };
  }

  /** A jobRoleArn or executionRoleArn that does not exist in the job's account. */
  private missingRole(record: JobRecord): string | undefined {
    const roles = this.deps.batch.deps.roles;
    if (!roles) return undefined;
    const container = record.detail.container ?? {};
    return [container.jobRoleArn, container.executionRoleArn].find((arn) => arn && !roles.roleExists(record.internal.accountId, arn));
  }

  private track(record: JobRecord, executor: Executor): void {
    const ceArn = record.internal.computeEnvironmentArn ?? '';
    this.active.set(record.detail.jobId, {
      scope: { accountId: record.internal.accountId, region: record.internal.region },
      attempt: record.internal.attempt,
      vcpus: record.internal.vcpus,
      memory: record.internal.memory,
      computeEnvironmentArn: ceArn,
      queueArn: record.detail.jobQueue,
      ...(record.detail.shareIdentifier !== undefined ? { shareIdentifier: record.detail.shareIdentifier } : {}),
      consumables: consumablesOf(record),
      startedAt: this.deps.clock.now(),
      logStreamName: record.detail.container?.logStreamName ?? '',
      executor,
    });
    this.usage.add(ceArn, { vcpus: record.internal.vcpus, memory: record.internal.memory });
  }

  private release(jobId: string): void {
    const attempt = this.active.get(jobId);
    if (!attempt) return;
    this.active.delete(jobId);
    if (attempt.shareIdentifier !== undefined) this.recordShareUsage(attempt);
    if (attempt.consumables.length > 0) this.deps.uow.transaction(() => this.deps.batch.consumables.release(attempt.scope, attempt.consumables));
    this.usage.remove(attempt.computeEnvironmentArn, attempt);
  }

  /** Adds an ended attempt's vCPU-seconds to its share's history (fair-share queues only). */
  private recordShareUsage(attempt: ActiveAttempt): void {
    const queue = this.deps.batch.queues.find(attempt.scope, attempt.queueArn);
    const policy = queue?.schedulingPolicyArn ? this.deps.batch.policies.find(attempt.scope, queue.schedulingPolicyArn) : undefined;
    if (!policy?.fairsharePolicy) return;
    const window = policy.fairsharePolicy.shareDecaySeconds || DEFAULT_SHARE_DECAY_SECONDS;
    this.shareUsage.add(attempt.queueArn, attempt.shareIdentifier ?? '', attempt.vcpus, attempt.startedAt, this.deps.clock.now(), window);
  }

  /** TerminateJob on a STARTING/RUNNING job: the executor stops it and reports the exit. */
  terminate(record: JobRecord, reason: string): void {
    const attempt = this.active.get(record.detail.jobId);
    attempt?.executor.terminate(record.detail.jobId, attempt.attempt, reason);
  }

  // ---- executor events ----

  started(jobId: string, attempt: number, info: { hostId: string; taskId?: string }): void {
    this.deps.batch.transitions.moveToRunning(jobId, attempt, this.deps.clock.now(), info.taskId);
    if (this.gangs.waitsFor(jobId)) this.wake(); // its child nodes launch in the next pass
  }

  output(jobId: string, attempt: number, lines: OutputLine[]): void {
    const active = this.active.get(jobId);
    if (!active || active.attempt !== attempt || lines.length === 0) return;
    this.deps.logSink.appendJobOutput(active.scope, JOB_LOG_GROUP, active.logStreamName, lines);
  }

  exited(jobId: string, attempt: number, result: ExitResult): void {
    const active = this.active.get(jobId);
    if (!active || active.attempt !== attempt) return;
    const now = this.deps.clock.now();
    const t = this.deps.batch.transitions;
    this.deps.uow.transaction(() => {
      const record = this.deps.jobs.get(jobId);
      if (!record) return;
      const exitCode = result.exitCode ?? signalExitCode(result.signal);
      const terminated = record.internal.terminationRequested;
      if (terminated !== undefined) {
        t.moveToFailedAfterAttempt(jobId, attempt, now, { ...(exitCode !== undefined ? { exitCode } : {}), statusReason: terminated });
      } else if (result.cause === 'timeout') {
        t.moveToFailedAfterAttempt(jobId, attempt, now, { ...(exitCode !== undefined ? { exitCode } : {}), statusReason: TIMEOUT_REASON });
      } else if (exitCode === 0 && result.cause === undefined) {
        t.moveToSucceeded(jobId, attempt, now, EXITED_REASON);
      } else {
        const statusReason = result.cause === 'launchFailed' || result.cause === 'lost' ? (result.reason ?? 'Task failed to start') : EXITED_REASON;
        const exit = { ...(exitCode !== undefined ? { exitCode } : {}), ...(result.reason && result.cause ? { reason: result.reason } : {}), statusReason };
        if (shouldRetry(record.detail.retryStrategy as never, attempt, { ...exit, ...(result.reason ? { reason: result.reason } : {}) })) t.moveToRetry(jobId, attempt, now, exit);
        else t.moveToFailedAfterAttempt(jobId, attempt, now, exit);
      }
    });
    this.release(jobId);
    this.wake();
  }
}

/** Executor settings from the compute environment's `batchlink:<setting>` tags. */
function executorSettings(ce: ComputeEnvironment): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(ce.tags ?? {})) {
    if (key.startsWith('batchlink:')) settings[key.slice('batchlink:'.length)] = value;
  }
  return settings;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

/** A process killed by a signal reports 128 + the signal number, as a container runtime does. */
function signalExitCode(signal: string | undefined): number | undefined {
  if (!signal) return undefined;
  const n = SIGNALS[signal];
  return n === undefined ? undefined : 128 + n;
}
