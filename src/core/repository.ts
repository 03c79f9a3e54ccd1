/**
 * Persistence ports declared by the domain and implemented by `store/`. Most aggregates are
 * documents keyed by (kind, account, region, id); jobs have their own repository (batch/).
 * `transaction` makes a group of writes atomic and is the unit of durability.
 */
import type { Scope } from './context.js';

export interface DocumentRepository<T> {
  get(scope: Scope, id: string): T | undefined;
  /** In creation order. */
  list(scope: Scope): T[];
  /** Every document of this kind in every account and region, in creation order. */
  listAll(): Array<{ scope: Scope; id: string; doc: T }>;
  count(scope: Scope): number;
  /** Fails (returns false) when the id already exists in the scope. */
  insert(scope: Scope, id: string, doc: T): boolean;
  put(scope: Scope, id: string, doc: T): void;
  delete(scope: Scope, id: string): boolean;
}

export interface UnitOfWork {
  /** Runs `fn` atomically (a savepoint when a transaction is already open). */
  transaction<R>(fn: () => R): R;
  /** Commits the open group transaction now, if any (before acting outside the database). */
  flush(): void;
  /** How many rollbacks (of a transaction or a savepoint) have happened: caches of read documents hold only while it stays the same. */
  rollbacks?(): number;
}

/** A repository that counts its writes, so a reader can cache what it derived until the next one. */
export interface CountedRepository<T> extends DocumentRepository<T> {
  revision(): number;
}

export function countWrites<T>(inner: DocumentRepository<T>): CountedRepository<T> {
  let revision = 0;
  const wrote = <R>(result: R): R => {
    revision++;
    return result;
  };
  return {
    get: (scope, id) => inner.get(scope, id),
    list: (scope) => inner.list(scope),
    listAll: () => inner.listAll(),
    count: (scope) => inner.count(scope),
    insert: (scope, id, doc) => wrote(inner.insert(scope, id, doc)),
    put: (scope, id, doc) => wrote(inner.put(scope, id, doc)),
    delete: (scope, id) => wrote(inner.delete(scope, id)),
    revision: () => revision,
  };
}
