import { createTestDatabase, type TestDatabase } from './test-database.js';
import { freePort } from './free-port.js';
import { startServer, type RunningServer } from '../../src/boot/server.js';
import { createLogger, type Logger } from '../../src/kernel/logger.js';
import type { Config } from '../../src/config/load-config.js';

export interface TestServer {
  readonly url: string;
  readonly config: Config;
  readonly database: TestDatabase;
  readonly running: RunningServer;
  /** Stops the server; the database stays for a restart. */
  stop(): Promise<void>;
  /** Stops the server and drops its database. */
  close(): Promise<void>;
}

/**
 * A real Gatehouse on a free port over a fresh database (or the one given, to test restarts),
 * logging to `logger` when given (tests that read the logs).
 */
export async function startTestServer(
  env: Record<string, string> = {},
  database?: TestDatabase,
  logger?: Logger,
): Promise<TestServer> {
  const db = database ?? (await createTestDatabase());
  const port = await freePort();
  const config = db.config({ PORT: String(port), HOST: '127.0.0.1', ISSUER: `http://127.0.0.1:${port}`, ...env });
  const running = await startServer(config, logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    database: db,
    running,
    stop: () => running.close(),
    close: async () => {
      await running.close();
      await db.drop();
    },
  };
}
