/**
 * Opens the SQLite database (better-sqlite3, WAL, synchronous=NORMAL: a committed transaction
 * survives a process crash) and applies the numbered migrations that have not run yet.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { UnitOfWork } from '../core/repository.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version),
  );
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(migration.version, migration.name);
    })();
  }
}

/**
 * The unit of work over one database, with group commit: the pipeline opens one transaction per
 * event-loop tick (`enlist`), every request of that tick writes inside it (each in its own
 * savepoint), and one COMMIT at the end of the tick makes them all durable before any of their
 * responses is sent (`committed`). This amortises the commit over the requests of a tick.
 */
export interface GroupUnitOfWork extends UnitOfWork {
  rollbacks(): number;
  enlist(): void;
  committed(): Promise<void>;
}

export function unitOfWork(db: Db): GroupUnitOfWork {
  // Prepared once: compiling BEGIN/SAVEPOINT/RELEASE for every request showed up in profiles.
  const begin = db.prepare('BEGIN');
  const commitStmt = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT uow');
  const release = db.prepare('RELEASE uow');
  const rollbackToSavepoint = db.prepare('ROLLBACK TO uow');
  let open = false;
  let rollbacks = 0;
  let waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  const commit = () => {
    if (!open) return;
    open = false;
    const settled = waiters;
    waiters = [];
    try {
      commitStmt.run();
    } catch (error) {
      if (db.inTransaction) rollback.run();
      rollbacks++;
      for (const w of settled) w.reject(error);
      return;
    }
    for (const w of settled) w.resolve();
  };
  return {
    transaction<R>(fn: () => R): R {
      if (!db.inTransaction) {
        begin.run();
        try {
          const result = fn();
          commitStmt.run();
          return result;
        } catch (error) {
          if (db.inTransaction) rollback.run();
          rollbacks++;
          throw error;
        }
      }
      savepoint.run();
      try {
        const result = fn();
        release.run();
        return result;
      } catch (error) {
        // SQLite may already have rolled the whole transaction back (e.g. SQLITE_FULL).
        if (db.inTransaction) {
          rollbackToSavepoint.run();
          release.run();
        }
        rollbacks++;
        throw error;
      }
    },
    enlist(): void {
      if (open || db.inTransaction) return;
      begin.run();
      open = true;
      setImmediate(commit);
    },
    committed(): Promise<void> {
      if (!open) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    flush: commit,
    rollbacks: () => rollbacks,
  };
}
