/**
 * SQLite implementation of the jobs port: indexed columns for the queries ListJobs and the
 * scheduler make, the AWS JobDetail as JSON in `doc` (sent as stored by DescribeJobs) and
 * batchlink's bookkeeping as JSON in `internal` (rows from before migration 6 hold both in `doc`).
 */
import type { JobCursor, JobRepository, ListJobsQuery } from '../batch/job-repository.js';
import type { JobRecord, JobStatus } from '../batch/model.js';
import type { Scope } from '../core/context.js';
import type Database from 'better-sqlite3';
import type { Db } from './database.js';

interface JobRow {
  seq: number;
  status: string;
  created_at: number;
  doc: string;
  internal: string | null;
}

const COLUMNS = 'seq, status, created_at, doc, internal';

function decode(row: JobRow): JobRecord {
  if (row.internal === null) return JSON.parse(row.doc) as JobRecord;
  return { detail: JSON.parse(row.doc) as JobRecord['detail'], internal: JSON.parse(row.internal) as JobRecord['internal'] };
}

export class JobTable implements JobRepository {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly updateStmt;
  private readonly insertDependencyStmt;
  private readonly dependentsStmt;
  private readonly dependencyStateStmt;
  private readonly childCountsStmt;
  private readonly childIdsStmt;
  private readonly admitStmt;
  private readonly awaitingAdmissionStmt;
  private readonly detailStmts = new Map<number, Database.Statement>();
  /** Statements whose SQL is built per call (a few shapes: ListJobs filters, scheduler reads), prepared once each. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO jobs (job_id, account, region, queue_arn, status, name, job_definition, created_at, parent_id, doc, internal)
       VALUES (@jobId, @account, @region, @queueArn, @status, @name, @jobDefinition, @createdAt, @parentId, @doc, @internal)`,
    );
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE job_id = ?`);
    this.updateStmt = db.prepare('UPDATE jobs SET status = @to, doc = @doc, internal = @internal WHERE job_id = @jobId AND status = @from');
    this.insertDependencyStmt = db.prepare('INSERT OR IGNORE INTO job_dependencies (job_id, depends_on) VALUES (?, ?)');
    this.dependentsStmt = db.prepare('SELECT job_id FROM job_dependencies WHERE depends_on = ?');
    this.dependencyStateStmt = db.prepare(
      `SELECT sum(CASE WHEN j.status IS NULL OR j.status <> 'SUCCEEDED' THEN 1 ELSE 0 END) AS unfinished,
              sum(CASE WHEN j.status = 'FAILED' THEN 1 ELSE 0 END) AS failed
       FROM job_dependencies d LEFT JOIN jobs j ON j.job_id = d.depends_on WHERE d.job_id = ?`,
    );
    this.childCountsStmt = db.prepare('SELECT status, count(*) AS n FROM jobs WHERE parent_id = ? GROUP BY status');
    this.childIdsStmt = db.prepare('SELECT job_id FROM jobs WHERE parent_id = ? ORDER BY seq');
    this.admitStmt = db.prepare(
      `UPDATE jobs SET status = 'RUNNABLE', doc = json_set(doc, '$.status', 'RUNNABLE'), internal = json_set(internal, '$.runnableSince', @now)
       WHERE job_id IN (
         SELECT j.job_id FROM jobs j
         WHERE j.status = 'SUBMITTED' AND j.internal IS NOT NULL
           AND coalesce(json_extract(j.internal, '$.role'), '') NOT IN ('arrayParent', 'mnpParent')
           AND NOT EXISTS (SELECT 1 FROM job_dependencies d WHERE d.job_id = j.job_id)
         ORDER BY j.seq LIMIT @limit)
       RETURNING parent_id, json_extract(internal, '$.role') AS role`,
    );
    // `instr` finds array parents without parsing JSON (see detailTexts); rows from before
    // migration 6 keep the role in `doc`.
    this.awaitingAdmissionStmt = db.prepare(
      `SELECT ${COLUMNS} FROM jobs
       WHERE status = 'SUBMITTED' AND instr(coalesce(internal, doc), '"role":"arrayParent"') = 0
       ORDER BY seq LIMIT ?`,
    );
  }

  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= 256) this.statements.clear();
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  insert(record: JobRecord, parentId?: string): void {
    const d = record.detail;
    this.insertStmt.run({
      jobId: d.jobId,
      account: record.internal.accountId,
      region: record.internal.region,
      queueArn: d.jobQueue,
      status: d.status,
      name: d.jobName,
      jobDefinition: d.jobDefinition,
      createdAt: d.createdAt,
      parentId: parentId ?? null,
      doc: JSON.stringify(d),
      internal: JSON.stringify(record.internal),
    });
  }

  get(jobId: string): JobRecord | undefined {
    const row = this.getStmt.get(jobId) as JobRow | undefined;
    return row ? decode(row) : undefined;
  }

  transition(jobId: string, from: readonly JobStatus[], to: JobStatus, change: (record: JobRecord) => void): JobRecord | undefined {
    const row = this.getStmt.get(jobId) as JobRow | undefined;
    if (!row || !from.includes(row.status as JobStatus)) return undefined;
    const record = decode(row);
    change(record);
    record.detail.status = to;
    const result = this.updateStmt.run({ to, doc: JSON.stringify(record.detail), internal: JSON.stringify(record.internal), jobId, from: row.status });
    return result.changes === 1 ? record : undefined;
  }

  save(record: JobRecord): void {
    const status = record.detail.status;
    this.updateStmt.run({ to: status, doc: JSON.stringify(record.detail), internal: JSON.stringify(record.internal), jobId: record.detail.jobId, from: status });
  }

  list(query: ListJobsQuery): { records: JobRecord[]; next?: JobCursor } {
    const where = ['account = @account', 'region = @region'];
    const params: Record<string, unknown> = { account: query.scope.accountId, region: query.scope.region, limit: query.limit + 1 };
    if (query.queueArn !== undefined) {
      where.push('queue_arn = @queueArn');
      params.queueArn = query.queueArn;
    }
    if (query.parentId !== undefined) {
      where.push('parent_id = @parentId');
      params.parentId = query.parentId;
    }
    if (query.statuses && query.statuses.length > 0) {
      where.push(`status IN (${query.statuses.map((_, i) => `@s${i}`).join(', ')})`);
      query.statuses.forEach((s, i) => (params[`s${i}`] = s));
    }
    if (query.nameLike !== undefined) {
      where.push("name LIKE @nameLike ESCAPE '\\'");
      params.nameLike = query.nameLike;
    }
    if (query.definitionGlob !== undefined) {
      where.push('job_definition GLOB @definitionGlob');
      params.definitionGlob = query.definitionGlob;
    }
    if (query.definitionArns !== undefined) {
      where.push(`job_definition IN (${query.definitionArns.map((_, i) => `@d${i}`).join(', ') || 'NULL'})`);
      query.definitionArns.forEach((arn, i) => (params[`d${i}`] = arn));
    }
    if (query.shareIdentifier !== undefined) {
      where.push("json_extract(doc, '$.shareIdentifier') = @share");
      params.share = query.shareIdentifier;
    }
    if (query.createdBefore !== undefined) {
      where.push('created_at < @before');
      params.before = query.createdBefore;
    }
    if (query.createdAfter !== undefined) {
      where.push('created_at > @after');
      params.after = query.createdAfter;
    }
    // Children of a parent list in creation order (seq); queues newest first; dispatch oldest first.
    const byIndex = query.parentId !== undefined;
    const ascending = byIndex || query.oldestFirst === true;
    if (query.cursor) {
      if (byIndex) where.push('seq > @cSeq');
      else if (ascending) where.push('(created_at > @cAt OR (created_at = @cAt AND seq > @cSeq))');
      else where.push('(created_at < @cAt OR (created_at = @cAt AND seq < @cSeq))');
      params.cAt = query.cursor.createdAt;
      params.cSeq = query.cursor.seq;
    }
    const order = byIndex ? 'ORDER BY seq ASC' : ascending ? 'ORDER BY created_at ASC, seq ASC' : 'ORDER BY created_at DESC, seq DESC';
    const rows = this.statement(`SELECT ${COLUMNS} FROM jobs WHERE ${where.join(' AND ')} ${order} LIMIT @limit`).all(params) as JobRow[];
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const next = rows.length > query.limit && last ? { createdAt: last.created_at, seq: last.seq } : undefined;
    return { records: page.map(decode), ...(next ? { next } : {}) };
  }

  byStatus(statuses: readonly JobStatus[], limit: number): JobRecord[] {
    return (
      this.statement(`SELECT ${COLUMNS} FROM jobs WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY seq LIMIT ?`).all(...statuses, limit) as JobRow[]
    ).map(decode);
  }

  insertDependencies(jobId: string, dependsOn: readonly string[]): void {
    for (const dep of dependsOn) this.insertDependencyStmt.run(jobId, dep);
  }

  dependentsOf(jobId: string): string[] {
    return (this.dependentsStmt.all(jobId) as Array<{ job_id: string }>).map((r) => r.job_id);
  }

  dependencyState(jobId: string): { unfinished: number; failed: number } {
    const row = this.dependencyStateStmt.get(jobId) as { unfinished: number | null; failed: number | null };
    return { unfinished: row.unfinished ?? 0, failed: row.failed ?? 0 };
  }

  childStatusCounts(parentId: string): Partial<Record<JobStatus, number>> {
    const counts: Partial<Record<JobStatus, number>> = {};
    for (const row of this.childCountsStmt.all(parentId) as Array<{ status: JobStatus; n: number }>) counts[row.status] = row.n;
    return counts;
  }

  childIds(parentId: string): string[] {
    return (this.childIdsStmt.all(parentId) as Array<{ job_id: string }>).map((r) => r.job_id);
  }

  admitReady(now: number, limit: number): { admitted: number; arrayParentIds: string[] } {
    // Rows from before migration 6 (internal IS NULL) take the per-job path.
    const rows = this.admitStmt.all({ now, limit }) as Array<{ parent_id: string | null; role: string | null }>;
    const arrayParentIds = new Set<string>();
    for (const row of rows) if (row.role === 'arrayChild' && row.parent_id !== null) arrayParentIds.add(row.parent_id);
    return { admitted: rows.length, arrayParentIds: [...arrayParentIds] };
  }

  awaitingAdmission(limit: number): JobRecord[] {
    return (this.awaitingAdmissionStmt.all(limit) as JobRow[]).map(decode);
  }

  markSpawning(parentId: string, spawning: boolean): void {
    if (spawning) this.statement('INSERT OR IGNORE INTO array_spawning (parent_id) VALUES (?)').run(parentId);
    else this.statement('DELETE FROM array_spawning WHERE parent_id = ?').run(parentId);
  }

  spawningParents(limit: number): string[] {
    return (this.statement('SELECT parent_id FROM array_spawning LIMIT ?').all(limit) as Array<{ parent_id: string }>).map((r) => r.parent_id);
  }

  detailTexts(scope: Scope, jobIds: readonly string[]): Array<{ jobId: string; detail: string; role?: string; arraySize?: number }> {
    if (jobIds.length === 0) return [];
    let stmt = this.detailStmts.get(jobIds.length);
    if (!stmt) {
      // `+account`: SQLite would otherwise pick an (account, region, …) index for a long IN list.
      // `instr` finds array parents without parsing JSON (the quoted key and value cannot occur
      // inside a JSON string, where quotes are escaped).
      stmt = this.db.prepare(
        `SELECT job_id, doc, internal IS NULL AS legacy, instr(internal, '"role":"arrayParent"') > 0 AS parent
         FROM jobs WHERE job_id IN (${jobIds.map(() => '?').join(', ')}) AND +account = ? AND +region = ?`,
      );
      this.detailStmts.set(jobIds.length, stmt);
    }
    const rows = stmt.all(...jobIds, scope.accountId, scope.region) as Array<{ job_id: string; doc: string; legacy: number; parent: number }>;
    return rows.map((row) => {
      if (!row.legacy && !row.parent) return { jobId: row.job_id, detail: row.doc };
      const record = this.get(row.job_id) as JobRecord; // an array parent, or a row from before migration 6
      const { role, arraySize } = record.internal;
      return { jobId: row.job_id, detail: JSON.stringify(record.detail), ...(role ? { role } : {}), ...(arraySize !== undefined ? { arraySize } : {}) };
    });
  }
}
