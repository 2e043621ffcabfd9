import { existsSync } from 'node:fs';
import type { Config } from '../config/load-config.js';
import { pendingMigrations } from './migrate.js';
import { resolveKek, type ResolvedKek } from '../keys/resolve-kek.js';

export class DatabaseNotReadyError extends Error {
  readonly code = 'ERR_DATABASE_NOT_READY';
}

/**
 * What a read-only CLI command (`user list`, `client show`, …) needs before it opens the
 * database: no migration, no advisory lock, no key minted, no file created. A database that is not
 * up to date, or a KEK file that does not exist yet, is reported instead of fixed: reading must not
 * change anything, and `gatehouse migrate` (or starting the server) does the rest.
 */
export async function openDatabaseForReading(config: Config): Promise<ResolvedKek> {
  const pending = await pendingMigrations(config.databaseUrl);
  if (pending.length) {
    throw new DatabaseNotReadyError(`the database has ${pending.length} migration(s) to apply: run \`gatehouse migrate\` (or start the server) first`);
  }
  if (!config.kek && !existsSync(config.kekFile)) {
    throw new DatabaseNotReadyError(`no key-encryption key: GATEHOUSE_KEK is unset and ${config.kekFile} does not exist; run \`gatehouse migrate\` (or start the server) first`);
  }
  return resolveKek(config);
}
