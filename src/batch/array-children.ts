/**
 * Array job children. SubmitJob commits only the parent (so an array of 10,000 is accepted at
 * once); the scheduler then spawns the children `<id>:<index>` in chunks, each chunk one
 * transaction, and records how many exist on the parent (`childrenCreated`), so a restart
 * resumes where it stopped. As AWS documents, a child's createdAt is when it was spawned.
 * Each child's dependencies: the parent's plain dependencies, N_TO_N partners `<dep>:<index>`,
 * and for SEQUENTIAL arrays the previous child. Children spawned after the parent was
 * cancelled are cancelled as they are written, so none of them starts.
 */
import type { BatchDeps } from './deps.js';
import type { JobCancellation } from './job-cancellation.js';
import type { JobRecord } from './model.js';

export const CHILDREN_PER_CHUNK = 1000;

export interface ArraySpec {
  dependsOn: Array<{ jobId: string; type?: string }>;
  sequential: boolean;
}

export class ArrayChildren {
  constructor(
    private readonly deps: BatchDeps,
    private readonly cancellation: JobCancellation,
  ) {}

  /** Prepares a parent record (not yet written) to spawn `size` children later. */
  prepareParent(parent: JobRecord, size: number, spec: ArraySpec): void {
    parent.internal.role = 'arrayParent';
    parent.internal.arraySize = size;
    parent.internal.childrenCreated = 0;
    parent.internal.arraySpec = spec;
    parent.detail.arrayProperties = { size, statusSummary: {} };
  }

  /** Records that a parent (just written) has children to spawn: the list survives a restart. */
  markSpawning(parentId: string): void {
    this.deps.jobs.markSpawning(parentId, true);
  }

  /** Spawns up to `budget` children across unfinished parents (call inside a transaction). */
  spawn(budget = CHILDREN_PER_CHUNK): number {
    let spawned = 0;
    for (const parentId of this.deps.jobs.spawningParents(100)) {
      if (spawned >= budget) break;
      const parent = this.deps.jobs.get(parentId);
      const size = parent?.internal.arraySize ?? 0;
      const from = parent?.internal.childrenCreated ?? 0;
      const to = Math.min(size, from + budget - spawned);
      if (parent) this.spawnRange(parent, from, to);
      spawned += Math.max(0, to - from);
      if (!parent || to >= size) this.deps.jobs.markSpawning(parentId, false);
    }
    return spawned;
  }

  /** Spawns every remaining child of one parent now (before cancelling or terminating it). */
  spawnAll(parentId: string): void {
    const parent = this.deps.jobs.get(parentId);
    if (!parent || parent.internal.role !== 'arrayParent') return;
    this.spawnRange(parent, parent.internal.childrenCreated ?? 0, parent.internal.arraySize ?? 0);
    this.deps.jobs.markSpawning(parentId, false);
  }

  private spawnRange(parent: JobRecord, from: number, to: number): void {
    if (from >= to) return;
    const jobId = parent.detail.jobId;
    const spec = parent.internal.arraySpec ?? { dependsOn: [], sequential: false };
    const now = this.deps.clock.now();
    const { arraySpec: _spec, childrenCreated: _created, cancelRequested, ...inherited } = parent.internal;
    const { isCancelled: _cancelled, statusReason: _reason, ...detail } = parent.detail;
    const childIds: string[] = [];
    for (let index = from; index < to; index++) {
      const childDeps = spec.dependsOn.map((d) => (d.type === 'N_TO_N' ? `${d.jobId}:${index}` : d.jobId));
      if (spec.sequential && index > 0) childDeps.push(`${jobId}:${index - 1}`);
      const child: JobRecord = {
        detail: {
          ...detail,
          status: 'SUBMITTED',
          jobId: `${jobId}:${index}`,
          jobArn: `${parent.detail.jobArn}:${index}`,
          createdAt: now,
          arrayProperties: { index },
          dependsOn: childDeps.map((id) => ({ jobId: id })),
          attempts: [],
        },
        internal: { ...inherited, role: 'arrayChild', parentId: jobId, arrayIndex: index },
      };
      this.deps.jobs.insert(child, jobId);
      if (childDeps.length > 0) this.deps.jobs.insertDependencies(child.detail.jobId, childDeps);
      childIds.push(child.detail.jobId);
    }
    parent.internal.childrenCreated = to;
    this.deps.jobs.save(parent);
    if (cancelRequested !== undefined) this.cancellation.cancelSpawned(childIds, cancelRequested);
  }
}
