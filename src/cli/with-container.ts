import type { Config } from '../config/load-config.js';
import { prepareDatabase } from '../db/prepare-database.js';
import { openDatabaseForReading } from '../db/open-database-for-reading.js';
import { createContainer, type Container } from '../container.js';

/**
 * Runs `fn` against the database, then releases every connection. Commands that change something
 * first bring the database up to date (prepareDatabase: migrations, keys); read-only ones (`list`,
 * `show`, `audit`) only check that it is, so looking never migrates, locks or writes.
 */
export async function withContainer<T>(config: Config, fn: (container: Container) => Promise<T>, { readOnly = false } = {}): Promise<T> {
  const kek = readOnly ? await openDatabaseForReading(config) : (await prepareDatabase(config)).kek;
  const container = await createContainer(config, kek.key);
  try {
    return await fn(container);
  } finally {
    await container.close();
  }
}
