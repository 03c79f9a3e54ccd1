/**
 * Multi-node parallel jobs are placed as one gang: the RUNNABLE nodes of a job go to one compute
 * environment in one pass, or none of them does; a partial gang never starts. As AWS documents
 * (Batch User Guide, multi-node parallel jobs, "Job lifecycle"), the main node is launched first
 * and the child nodes once it is RUNNING; the capacity for the child nodes is held from the pass
 * that placed the main node, so nothing else can take it in between.
 */
import type { Scope } from '../core/context.js';
import type { Capacity, CapacityLedger, Need } from './capacity.js';
import { blockedReason, needOf, total } from './capacity.js';
import type { ExecutionSpec, Executor } from './executor.js';
import type { JobRepository } from './job-repository.js';
import type { ComputeEnvironment, JobQueue, JobRecord, JobStatus } from './model.js';

export interface Launch {
  executor: Executor;
  spec: ExecutionSpec;
}

/** What gang placement needs from the scheduler. */
export interface GangHost {
  jobs: JobRepository;
  ledger: CapacityLedger;
  /** Reserves the job's consumable resources (true when it has none). */
  reserveConsumables(scope: Scope, record: JobRecord): boolean;
  releaseConsumables(scope: Scope, record: JobRecord): void;
  /** Whether `needs` fit in the environment's free capacity now. */
  fitsNow(ce: ComputeEnvironment, capacity: Capacity, needs: readonly Need[]): boolean;
  /** Moves one job to STARTING on `ce`: its launch, or undefined when it could not start. */
  place(scope: Scope, queue: JobQueue, ce: ComputeEnvironment, record: JobRecord): Launch | undefined;
  /** Records (or, with undefined, clears) why a RUNNABLE job can never start. */
  markBlocked(record: JobRecord, reason: string | undefined): void;
  findQueue(scope: Scope, arn: string): JobQueue | undefined;
  findEnvironment(scope: Scope, arn: string): ComputeEnvironment | undefined;
}

/** Child nodes waiting for their main node to run, with the capacity held for them. */
interface HeldNodes {
  scope: Scope;
  queueArn: string;
  ceArn: string;
  mainJobId: string;
  nodes: Array<{ jobId: string; need: Need }>;
}

const NOT_YET_RUNNABLE: readonly JobStatus[] = ['SUBMITTED', 'PENDING'];
const STARTED: readonly JobStatus[] = ['STARTING', 'RUNNING'];
const LIVE: readonly JobStatus[] = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING'];

export class MultiNodeGangs {
  private readonly held = new Map<string, HeldNodes>(); // parent job id -> held child nodes

  constructor(private readonly host: GangHost) {}

  /** Whether child nodes wait for this main node to reach RUNNING. */
  waitsFor(mainJobId: string): boolean {
    return [...this.held.values()].some((h) => h.mainJobId === mainJobId);
  }

  /** Places the RUNNABLE nodes of `node`'s job together on one environment, or none of them. */
  place(scope: Scope, queue: JobQueue, environments: readonly ComputeEnvironment[], capacities: readonly Capacity[], node: JobRecord, launches: Launch[]): number {
    const parentId = node.internal.parentId ?? '';
    if (this.held.has(parentId)) return 0;
    const nodes = this.host.jobs.list({ scope, parentId, statuses: LIVE, limit: (node.internal.numNodes ?? 1) + 1 }).records;
    if (nodes.some((n) => NOT_YET_RUNNABLE.includes(n.detail.status))) return 0; // the whole gang, or none
    const gang = nodes.filter((n) => n.detail.status === 'RUNNABLE');
    const needs = gang.map(needOf);
    const reason = blockedReason(needs, capacities, true);
    for (const record of gang) this.host.markBlocked(record, reason);
    if (reason !== undefined || gang.length === 0) return 0;
    // Nodes already started (one back in RUNNABLE for a retry) keep the rest on their environment.
    const pinned = nodes.find((n) => STARTED.includes(n.detail.status))?.internal.computeEnvironmentArn;
    const ce = environments.find((e, i) => {
      const capacity = capacities[i];
      return capacity !== undefined && capacity.multiNode && (pinned === undefined || e.computeEnvironmentArn === pinned) && this.host.fitsNow(e, capacity, needs);
    });
    if (!ce) return 0;
    const reserved: JobRecord[] = [];
    for (const record of gang) {
      if (!this.host.reserveConsumables(scope, record)) {
        for (const r of reserved) this.host.releaseConsumables(scope, r);
        return 0;
      }
      reserved.push(record);
    }
    const mainJobId = `${parentId}#${node.internal.mainNode ?? 0}`;
    const main = gang.find((r) => r.detail.jobId === mainJobId);
    let started = 0;
    for (const record of main ? [main] : gang) {
      const launch = this.host.place(scope, queue, ce, record);
      if (launch) {
        launches.push(launch);
        started++;
      } else {
        this.host.releaseConsumables(scope, record);
      }
    }
    if (!main) return started;
    const rest = gang.filter((r) => r !== main);
    if (started === 0) {
      for (const r of rest) this.host.releaseConsumables(scope, r);
      return 0;
    }
    if (rest.length > 0) {
      const held = rest.map((r) => ({ jobId: r.detail.jobId, need: needOf(r) }));
      this.held.set(parentId, { scope, queueArn: queue.jobQueueArn, ceArn: ce.computeEnvironmentArn, mainJobId, nodes: held });
      this.host.ledger.add(ce.computeEnvironmentArn, total(held.map((h) => h.need)));
    }
    return started;
  }

  /**
   * Launches the held child nodes of main nodes that are RUNNING now. A main node that ended or
   * went back to RUNNABLE (a retry) gives the held capacity back; its nodes wait for the next gang.
   */
  launchHeld(launches: Launch[]): number {
    let started = 0;
    for (const [parentId, held] of this.held) {
      const status = this.host.jobs.get(held.mainJobId)?.detail.status;
      if (status === 'STARTING') continue;
      this.held.delete(parentId);
      this.host.ledger.remove(held.ceArn, total(held.nodes.map((h) => h.need)));
      const queue = status === 'RUNNING' ? this.host.findQueue(held.scope, held.queueArn) : undefined;
      const ce = queue ? this.host.findEnvironment(held.scope, held.ceArn) : undefined;
      for (const { jobId } of held.nodes) {
        const record = this.host.jobs.get(jobId);
        if (!record) continue;
        const launch = queue && ce && record.detail.status === 'RUNNABLE' ? this.host.place(held.scope, queue, ce, record) : undefined;
        if (launch) {
          launches.push(launch);
          started++;
        } else {
          this.host.releaseConsumables(held.scope, record);
        }
      }
    }
    return started;
  }
}
