import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Logger } from '../kernel/logger.js';
import type { SqliteTransactionGate } from './sqlite-transaction-gate.js';

/** How often the worker moves the write-ahead log into the database file. */
export const WAL_CHECKPOINT_INTERVAL_MS = 1000;
/** How often the log file is looked at for writes. */
const WATCH_MS = 250;
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
checkpoint();
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
  /** Whether a worker thread is running now (it runs only while the database is written). */
  readonly working: boolean;
  /** Resolves after the worker's last checkpoint, with its connection closed. */
  stop(): Promise<void>;
}

/** When the log file last changed (0 when there is none): only a write to the database changes it. */
function logChangedAt(walPath: string): number {
  try {
    return statSync(walPath).mtimeMs;
  } catch {
    return 0;
  }
}

export interface WalCheckpointerOptions {
  /** How often the worker checkpoints while it runs. */
  readonly intervalMs?: number;
  readonly busyTimeoutMs?: number;
  /** Writes closer together than this are a burst, and a burst gets the worker. */
  readonly burstMs?: number;
  /** The worker makes its last checkpoint and exits after this long without a burst of writes. */
  readonly quietMs?: number;
  /** How often the log file is looked at. */
  readonly watchMs?: number;
}

/**
 * Takes SQLite's checkpoints off the event loop. By default the connection that commits a
 * transaction also runs the checkpoint once the log passes 1,000 pages, and a checkpoint writes
 * those pages back and fsyncs the database file: on a large file with scattered changes (the
 * expiry sweep at a million rows) that took about 540 ms, during which no request was served
 * (docs/benchmarks.md, "Flat as data grows"). Here the serving connection never checkpoints by
 * itself (`wal_autocheckpoint=0`); should the worker fail, it does again, so the log never grows
 * unbounded.
 *
 * The log file's modification time is looked at every `watchMs` (one stat, nothing on the
 * connection). A write after a quiet spell (the leader lease's renewal, a sign-in on a quiet day)
 * is a few pages, checkpointed at once on the serving connection (about 0.4 ms here, fsyncs
 * included). Writes closer together than `burstMs` start a worker thread that checkpoints on its
 * own connection every `intervalMs`; after `quietMs` without such a burst (lone writes do not
 * count) it makes its last checkpoint and exits. A worker is a V8 isolate of its own, about 13 MB resident, which a quiet server does
 * not hold. Either way a commit reaches the database file, and so survives a power loss, within
 * about a second.
 */
export async function startWalCheckpointer(
  path: string,
  outsideTransaction: SqliteTransactionGate['outsideTransaction'],
  logger: Logger,
  {
    intervalMs = WAL_CHECKPOINT_INTERVAL_MS,
    busyTimeoutMs = 5000,
    burstMs = 2000,
    quietMs = 10_000,
    watchMs = WATCH_MS,
  }: WalCheckpointerOptions = {},
): Promise<WalCheckpointer> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const walPath = `${path}-wal`;
  await outsideTransaction((db) => db.pragma('wal_autocheckpoint = 0'));
  let stopping = false;
  let fellBack = false;
  let running: { worker: Worker; exited: Promise<void>; retiring: boolean } | undefined;
  let changedAt = logChangedAt(walPath);
  // Watch ticks since the last write seen, and since the last write that came in a burst; a write
  // before the start counts as a lone one.
  let sinceWrite = Infinity;
  let sinceBurst = Infinity;
  // A write seen while the worker was making its last checkpoint.
  let afterRetiring: 'burst' | 'lone' | undefined;
  const checkpointHere = () =>
    outsideTransaction((db) => db.pragma('wal_checkpoint(PASSIVE)')).catch((error: unknown) =>
      logger.warn({ reason: (error as Error).message }, 'SQLite checkpoint failed; will retry'),
    );
  const fallBack = (reason: string) => {
    if (fellBack) return;
    fellBack = true;
    void outsideTransaction((db) => db.open && db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`));
    if (!stopping)
      logger.warn({ reason }, 'the SQLite checkpoint worker stopped; the serving connection checkpoints again');
  };
  const startWorker = () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs, busyTimeoutMs } });
    worker.unref();
    worker.on('message', (message: { failed?: string }) => {
      if (message.failed) logger.warn({ reason: message.failed }, 'SQLite checkpoint failed; will retry');
    });
    worker.on('error', (error) => fallBack(error.message));
    const current = {
      worker,
      retiring: false,
      exited: new Promise<void>((resolve) =>
        worker.once('exit', (code) => {
          running = undefined;
          const pending = afterRetiring;
          afterRetiring = undefined;
          if (!current.retiring && !stopping) fallBack(`exit code ${code}`);
          else if (pending && !stopping && !fellBack) {
            if (pending === 'burst') startWorker();
            else void checkpointHere();
          }
          resolve();
        }),
      ),
    };
    running = current;
  };
  const retire = (current: NonNullable<typeof running>) => {
    current.retiring = true;
    current.worker.postMessage('stop');
  };
  const watch = () => {
    if (stopping || fellBack) return;
    sinceWrite += 1;
    sinceBurst += 1;
    const seen = logChangedAt(walPath);
    if (seen !== changedAt) {
      changedAt = seen;
      const burst = sinceWrite * watchMs <= burstMs;
      sinceWrite = 0;
      if (burst) sinceBurst = 0;
      if (running?.retiring) {
        // Its last checkpoint may have come before this write: the exit handler sees to it.
        afterRetiring = burst || afterRetiring === 'burst' ? 'burst' : 'lone';
        return;
      }
      if (!running) {
        if (burst) startWorker();
        else void checkpointHere();
        return;
      }
    }
    // Lone writes (the lease's renewal every 10 s) do not keep a worker: only bursts do.
    if (running && !running.retiring && sinceBurst * watchMs >= quietMs) retire(running);
  };
  // Whatever the log holds from before the start (migrations, a crash) reaches the file now.
  await checkpointHere();
  const timer = setInterval(watch, watchMs);
  timer.unref();
  return {
    get working() {
      return running !== undefined;
    },
    async stop() {
      if (!stopping) {
        stopping = true;
        clearInterval(timer);
        // Held until its last checkpoint is done: a process with nothing else left would otherwise
        // exit at once, and the caller's await with it.
        running?.worker.ref();
        if (running && !running.retiring) retire(running);
      }
      await running?.exited;
    },
  };
}
