/**
 * The unit of work counts its rollbacks (a failed transaction, a failed savepoint inside the
 * group transaction, a failed group COMMIT is not provoked here): FrozenReads drops what it read
 * inside a transaction that did not survive. What committed is kept.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase, unitOfWork } from './database.js';

test('rollbacks() counts failed transactions and failed savepoints; committed writes stay', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'batchlink-uow-'));
  const db = openDatabase(join(dir, 'uow.db'));
  try {
    db.exec('CREATE TABLE t (v TEXT)');
    const uow = unitOfWork(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    assert.equal(uow.rollbacks(), 0);
    uow.transaction(() => insert.run('kept'));
    assert.throws(() => uow.transaction(() => (insert.run('lost'), assert.fail('boom'))));
    assert.equal(uow.rollbacks(), 1);
    uow.enlist();
    uow.transaction(() => insert.run('group'));
    assert.throws(() => uow.transaction(() => (insert.run('savepoint lost'), assert.fail('boom'))));
    assert.equal(uow.rollbacks(), 2);
    await uow.committed();
    assert.deepEqual((db.prepare('SELECT v FROM t ORDER BY rowid').all() as Array<{ v: string }>).map((r) => r.v), ['kept', 'group']);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
