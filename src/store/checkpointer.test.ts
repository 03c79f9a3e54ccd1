/**
 * The checkpoint worker: with the main connection's automatic checkpoint off, committed pages
 * still reach the database file (the worker copies them), and a worker that cannot run hands
 * checkpointing back to SQLite.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCheckpointer } from './checkpointer.js';
import { openDatabase } from './database.js';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('committed pages reach the database file through the worker, not the committing thread', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'batchlink-ckpt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'batchlink.db');
  const db = openDatabase(file);
  const errors: Error[] = [];
  const checkpointer = startCheckpointer(db, file, (error) => errors.push(error), 20);
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
  const before = statSync(file).size;
  db.exec('CREATE TABLE blobs (b BLOB)');
  const insert = db.prepare('INSERT INTO blobs (b) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(Buffer.alloc(4096, i % 256));
  })();
  await waitFor(() => statSync(file).size > before + 8 * 1024 * 1024, 'the database file to receive the committed pages');
  await checkpointer.stop();
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  assert.deepEqual(errors, []);
  db.close();
});

test('a worker that cannot open the database hands checkpoints back to SQLite', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'batchlink-ckpt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(join(dir, 'batchlink.db'));
  const errors: Error[] = [];
  const checkpointer = startCheckpointer(db, join(dir, 'missing', 'nowhere.db'), (error) => errors.push(error), 20);
  await waitFor(() => errors.length > 0, 'the worker to fail');
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  await checkpointer.stop();
  db.close();
});
