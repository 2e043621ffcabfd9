import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Logger } from '../kernel/logger.js';
import type { SqliteTransactionGate } from './sqlite-transaction-gate.js';
import { walFramesPending } from './wal-frames-pending.js';

/** How often the worker moves the write-ahead log into the database file. */
export const WAL_CHECKPOINT_INTERVAL_MS = 1000;
/** How often the WAL index is looked at for frames waiting. */
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
  /** Whether a worker thread is running now (it runs only during bursts of writes). */
  readonly working: boolean;
  /** Resolves after the worker's last checkpoint, with its connection closed. */
  stop(): Promise<void>;
}

export interface WalCheckpointerOptions {
  /** How often the worker checkpoints while it runs. */
  readonly intervalMs?: number;
  readonly busyTimeoutMs?: number;
  /** More frames than this waiting at one look is a burst, and a burst gets the worker. */
  readonly burstFrames?: number;
  /** The worker makes its last checkpoint and exits after this long without a burst. */
  readonly quietMs?: number;
  /** How often the log is looked at. */
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
 * Every `watchMs` the frames waiting in the log are read from the WAL index (one small read of the
 * `-shm` file, nothing on the connection). A few (the lease's renewal, a sign-in on a quiet day)
 * are checkpointed at once on the serving connection, through the transaction gate: up to
 * `burstFrames` pages, well under a millisecond here, fsyncs included. More start a worker thread
 * that checkpoints on its own connection every `intervalMs`; after `quietMs` without a burst it
 * makes its last checkpoint and exits. A worker is a V8 isolate of its own, about 13 MB resident,
 * which a quiet server does not hold. Either way a commit reaches the database file, and so
 * survives a power loss, within about a second.
 */
export async function startWalCheckpointer(
  path: string,
  outsideTransaction: SqliteTransactionGate['outsideTransaction'],
  logger: Logger,
  {
    intervalMs = WAL_CHECKPOINT_INTERVAL_MS,
    busyTimeoutMs = 5000,
    burstFrames = 64,
    quietMs = 10_000,
    watchMs = WATCH_MS,
  }: WalCheckpointerOptions = {},
): Promise<WalCheckpointer> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const shmPath = `${path}-shm`;
  await outsideTransaction((db) => db.pragma('wal_autocheckpoint = 0'));
  let stopping = false;
  let fellBack = false;
  let running: { worker: Worker; exited: Promise<void>; retiring: boolean } | undefined;
  let checkingHere: Promise<void> | undefined;
  let sinceBurst = 0;
  let unreadable = 0;
  const checkpointHere = () =>
    (checkingHere ??= outsideTransaction((db) => {
      db.pragma('wal_checkpoint(PASSIVE)');
    })
      .catch((error: unknown) =>
        logger.warn({ reason: (error as Error).message }, 'SQLite checkpoint failed; will retry'),
      )
      .finally(() => {
        checkingHere = undefined;
      }));
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
          if (!current.retiring && !stopping) fallBack(`exit code ${code}`);
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
    // While the worker makes its last checkpoint, the next look after its exit decides afresh.
    if (stopping || fellBack || running?.retiring) return;
    const pending = walFramesPending(shmPath);
    if (pending === undefined) {
      // A write under way, for a moment; for longer, a WAL index this cannot read (another VFS, an
      // exclusive locking mode): SQLite's own checkpoints then, rather than a log that only grows.
      if ((unreadable += 1) * watchMs >= quietMs) {
        if (running) retire(running);
        fallBack(`cannot read the WAL index ${shmPath}`);
      }
      return;
    }
    unreadable = 0;
    if (pending > burstFrames) {
      sinceBurst = 0;
      if (!running) startWorker();
      return;
    }
    sinceBurst += 1;
    if (!running) {
      if (pending > 0) void checkpointHere();
    } else if (sinceBurst * watchMs >= quietMs) {
      // Lone writes (the lease's renewal every 10 s) do not keep a worker: only bursts do.
      retire(running);
    }
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
      await Promise.all([running?.exited, checkingHere]);
    },
  };
}
