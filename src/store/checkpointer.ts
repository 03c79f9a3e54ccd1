/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses the threshold: it copies the WAL into the database file and fsyncs it, stalling every
 * request waiting on that event loop. With the checkpointer, the main connection's automatic
 * checkpoint is off and a worker thread with its own connection runs PASSIVE checkpoints (they
 * never block the writer) on a short interval. If the worker fails, automatic checkpoints are
 * switched back on, so the WAL never grows without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.js';

const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/** The worker's code (CommonJS, evaluated): better-sqlite3 is resolved by the main thread. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(db: Db, file: string, onError: (error: Error) => void, intervalMs = 100): Checkpointer {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, sqlite, intervalMs } });
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const fallBack = (error: Error) => {
    if (stopping) return;
    db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    onError(error);
  };
  worker.on('error', fallBack);
  worker.on('exit', (code) => fallBack(new Error(`the checkpoint worker exited (code ${code})`)));
  worker.unref();
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      worker.ref(); // waiting for it must keep the process alive
      worker.postMessage('stop');
      await exited;
      db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    },
  };
}
