import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { Logger } from '../kernel/logger.js';

/** How often the worker moves the write-ahead log into the database file. */
export const WAL_CHECKPOINT_INTERVAL_MS = 1000;
/** SQLite's own default (pages), restored on the serving connection if the worker ever stops. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/**
 * The worker: its own connection to the same file, a PASSIVE checkpoint on each tick. PASSIVE
 * copies what no reader still needs and waits on no lock, so neither side blocks the other
 * (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html). Plain JavaScript, evaluated as the
 * worker's script: the same text runs under the bundle, `tsx` and jest.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
const checkpoint = () => {
  // Only a failure is told: a message a second for nothing would be work on the event loop spared here.
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ failed: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Resolves after the worker's last checkpoint, with its connection closed. */
  stop(): Promise<void>;
}

/**
 * Takes SQLite's checkpoints off the event loop. By default the connection that commits a
 * transaction also runs the checkpoint once the log passes 1,000 pages, and a checkpoint writes
 * those pages back and fsyncs the database file: on a large file with scattered changes (the
 * expiry sweep at a million rows) that took about 540 ms, during which no request was served
 * (docs/benchmarks.md, "Flat as data grows"). Here the serving connection never checkpoints
 * (`wal_autocheckpoint=0`) and a worker thread does it on its own connection; should the worker
 * fail, the serving connection checkpoints for itself again, so the log never grows unbounded.
 */
export function startWalCheckpointer(
  path: string,
  serving: Database.Database,
  logger: Logger,
  { intervalMs = WAL_CHECKPOINT_INTERVAL_MS, busyTimeoutMs = 5000 } = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs, busyTimeoutMs } });
  worker.unref();
  serving.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  let fellBack = false;
  const fallBack = (reason: string) => {
    if (fellBack) return;
    fellBack = true;
    if (serving.open) serving.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    if (!stopping)
      logger.warn({ reason }, 'the SQLite checkpoint worker stopped; the serving connection checkpoints again');
  };
  worker.on('message', (message: { failed?: string }) => {
    if (message.failed) logger.warn({ reason: message.failed }, 'SQLite checkpoint failed; will retry');
  });
  worker.on('error', (error) => fallBack(error.message));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      if (!stopping) fallBack(`exit code ${code}`);
      resolve();
    }),
  );
  return {
    stop() {
      if (!stopping) {
        stopping = true;
        // Held until its last checkpoint is done: a process with nothing else left would otherwise
        // exit at once, and the caller's await with it.
        worker.ref();
        worker.postMessage('stop');
      }
      return exited;
    },
  };
}
