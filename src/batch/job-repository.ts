/**
 * The jobs port: the domain reads and writes jobs only through this. Status changes go through
 * `transition`, which is guarded by the status the job leaves (see job-transitions.ts).
 */
import type { Scope } from '../core/context.js';
import type { JobRecord, JobStatus } from './model.js';

export interface JobCursor {
  createdAt: number;
  seq: number;
}

export interface ListJobsQuery {
  scope: Scope;
  queueArn?: string;
  parentId?: string;
  statuses?: readonly JobStatus[];
  /** SQL LIKE pattern on the job name (case-insensitive). */
  nameLike?: string;
  /** GLOB pattern on the job definition ARN. */
  definitionGlob?: string;
  /** Any of these exact job definition ARNs (ListJobsByConsumableResource). */
  definitionArns?: readonly string[];
  /** Jobs of this fair-share identifier. */
  shareIdentifier?: string;
  createdBefore?: number;
  createdAfter?: number;
  cursor?: JobCursor;
  limit: number;
  /** Oldest first (dispatch order) instead of newest first. */
  oldestFirst?: boolean;
}

export interface JobRepository {
  insert(record: JobRecord, parentId?: string): void;
  get(jobId: string): JobRecord | undefined;
  /**
   * Applies `change` and writes the job with status `to`, only if its status is one of `from`.
   * Returns the updated record, or undefined when the guard did not hold.
   */
  transition(jobId: string, from: readonly JobStatus[], to: JobStatus, change: (record: JobRecord) => void): JobRecord | undefined;
  /** Writes non-status changes (tags, internal bookkeeping); the status must be unchanged. */
  save(record: JobRecord): void;
  list(query: ListJobsQuery): { records: JobRecord[]; next?: JobCursor };
  /**
   * SUBMITTED -> RUNNABLE in one statement for up to `limit` jobs that wait for nothing (no
   * dependencies, not an array or multi-node parent). Returns how many moved, and the array
   * parents of the children among them.
   */
  admitReady(now: number, limit: number): { admitted: number; arrayParentIds: string[] };
  /** The records in the given statuses, oldest first, across every account. */
  byStatus(statuses: readonly JobStatus[], limit: number): JobRecord[];
  /**
   * SUBMITTED jobs for the scheduler to admit one by one, oldest first, across every account.
   * Array parents are left out: they stay SUBMITTED until a child becomes RUNNABLE (job-graph.ts).
   */
  awaitingAdmission(limit: number): JobRecord[];
  /** Records that `jobId` waits for each of `dependsOn`. */
  insertDependencies(jobId: string, dependsOn: readonly string[]): void;
  /** Jobs waiting for `jobId`. */
  dependentsOf(jobId: string): string[];
  /** How many of a job's dependencies have not succeeded yet, and how many failed. */
  dependencyState(jobId: string): { unfinished: number; failed: number };
  /** Status counts of an array or multi-node parent's children. */
  childStatusCounts(parentId: string): Partial<Record<JobStatus, number>>;
  childIds(parentId: string): string[];
  /** Array parents whose children are still being spawned (array-children.ts). */
  markSpawning(parentId: string, spawning: boolean): void;
  spawningParents(limit: number): string[];
  /**
   * The stored JobDetail of each id in the scope, as JSON text (for DescribeJobs, which sends it
   * unparsed), with batchlink's bookkeeping; unknown ids are left out.
   */
  detailTexts(scope: Scope, jobIds: readonly string[]): Array<{ jobId: string; detail: string; role?: string; arraySize?: number }>;
}
