import type { Command } from '../command.js';

export const serve: Command = {
  path: ['serve'],
  summary: 'Run the authorization server (what `npm start` does)',
  usage: 'gatehouse serve',
  options: {},
  async run(_values, config) {
    // Imported when the server starts, not with the CLI (see withContainer).
    const { createLogger } = await import('../../kernel/logger.js');
    const { turnBatchedOutput } = await import('../../kernel/turn-batched-output.js');
    const { startServer } = await import('../../boot/server.js');
    const { migrateInOwnProcess } = await import('../../boot/migrate-in-own-process.js');
    // The access lines of a turn's requests reach stdout in one write (turn-batched-output.ts).
    const logger = createLogger(config.logLevel, turnBatchedOutput());
    // Before the server opens the database: the schema engine then never loads in this process.
    const applied = await migrateInOwnProcess(config);
    if (applied.length) logger.info({ applied }, 'applied migrations');
    const running = await startServer(config, logger);
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down: draining in-flight requests');
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    await new Promise(() => undefined); // runs until a signal arrives
  },
};
