import { existsSync } from 'node:fs';
import type { Config } from '../config/load-config.js';
import { pendingMigrations } from '../db/migrate.js';
import { resolveKek, type ResolvedKek } from '../keys/resolve-kek.js';
import { prepareDatabase } from './prepare-database.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

export class DatabaseNotReadyError extends GatehouseError<'ERR_DATABASE_NOT_READY'> {
  constructor(message: string) {
    super('ERR_DATABASE_NOT_READY', message);
  }
}

/**
 * What a read-only CLI command (`user list`, `client show`, …) needs before it opens the
 * database: no migration and no advisory lock. A database that is not up to date is reported
 * instead of fixed (`gatehouse migrate`, or starting the server, does that). A migrated database
 * that has never been opened by Gatehouse (no KEK file yet, so no keys) is prepared as a first
 * start would be, which creates the KEK and keys and, with nothing pending, migrates nothing.
 */
export async function openDatabaseForReading(config: Config, clock: Clock): Promise<ResolvedKek> {
  const pending = await pendingMigrations(config.databaseUrl);
  if (pending.length) {
    throw new DatabaseNotReadyError(
      `the database has ${pending.length} migration(s) to apply: run \`gatehouse migrate\` (or start the server) first`,
    );
  }
  if (!config.kek && !existsSync(config.kekFile)) return (await prepareDatabase(config, clock, 'command')).kek;
  return resolveKek(config);
}
