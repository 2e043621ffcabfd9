import type { Config } from '../config/load-config.js';
import { prepareDatabase } from '../boot/prepare-database.js';
import { openDatabaseForReading } from '../boot/open-database-for-reading.js';
import { createContainer, type Container } from '../boot/container.js';
import { systemClock } from '../kernel/clock.js';

/**
 * The container for one CLI command. Commands that change something first bring the database up
 * to date (prepareDatabase: migrations, keys); read-only ones only check that it is, so looking
 * never migrates, locks or writes.
 */
export async function openContainer(config: Config, { readOnly }: { readOnly: boolean }): Promise<Container> {
  const kek = readOnly
    ? await openDatabaseForReading(config, systemClock)
    : (await prepareDatabase(config, systemClock, 'command')).kek;
  return createContainer(config, kek.key, systemClock, { role: 'command' });
}
