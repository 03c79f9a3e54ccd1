/**
 * The generic document repository: one row per aggregate in `documents`, JSON in `doc`,
 * keyed by (kind, account, region, id). Statements are prepared once.
 */
import type { Scope } from '../core/context.js';
import type { DocumentRepository } from '../core/repository.js';
import type { Db } from './database.js';

interface Row {
  account: string;
  region: string;
  id: string;
  doc: string;
}

export class DocumentTable<T> implements DocumentRepository<T> {
  private readonly getStmt;
  private readonly listStmt;
  private readonly listAllStmt;
  private readonly countStmt;
  private readonly insertStmt;
  private readonly putStmt;
  private readonly deleteStmt;

  constructor(
    db: Db,
    private readonly kind: string,
  ) {
    this.getStmt = db.prepare('SELECT doc FROM documents WHERE kind = ? AND account = ? AND region = ? AND id = ?');
    this.listStmt = db.prepare('SELECT doc FROM documents WHERE kind = ? AND account = ? AND region = ? ORDER BY seq');
    this.listAllStmt = db.prepare('SELECT account, region, id, doc FROM documents WHERE kind = ? ORDER BY seq');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM documents WHERE kind = ? AND account = ? AND region = ?');
    this.insertStmt = db.prepare(
      'INSERT INTO documents (kind, account, region, id, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.putStmt = db.prepare(
      'INSERT INTO documents (kind, account, region, id, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, account, region, id) DO UPDATE SET doc = excluded.doc',
    );
    this.deleteStmt = db.prepare('DELETE FROM documents WHERE kind = ? AND account = ? AND region = ? AND id = ?');
  }

  get(scope: Scope, id: string): T | undefined {
    const row = this.getStmt.get(this.kind, scope.accountId, scope.region, id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  list(scope: Scope): T[] {
    return (this.listStmt.all(this.kind, scope.accountId, scope.region) as Array<{ doc: string }>).map(
      (row) => JSON.parse(row.doc) as T,
    );
  }

  listAll(): Array<{ scope: Scope; id: string; doc: T }> {
    return (this.listAllStmt.all(this.kind) as Row[]).map((row) => ({
      scope: { accountId: row.account, region: row.region },
      id: row.id,
      doc: JSON.parse(row.doc) as T,
    }));
  }

  count(scope: Scope): number {
    return (this.countStmt.get(this.kind, scope.accountId, scope.region) as { n: number }).n;
  }

  insert(scope: Scope, id: string, doc: T): boolean {
    return this.insertStmt.run(this.kind, scope.accountId, scope.region, id, JSON.stringify(doc)).changes === 1;
  }

  put(scope: Scope, id: string, doc: T): void {
    this.putStmt.run(this.kind, scope.accountId, scope.region, id, JSON.stringify(doc));
  }

  delete(scope: Scope, id: string): boolean {
    return this.deleteStmt.run(this.kind, scope.accountId, scope.region, id).changes === 1;
  }
}
