import type { Config } from '../config/load-config.js';
import { migrate, withPostgresLock } from './migrate.js';
import { createPrisma } from './create-prisma.js';
import { createKeyQueries } from '../keys/key-queries.js';
import { createKeyService } from '../keys/key-service.js';

/**
 * Brings a database up to date and makes sure the keys exist. On PostgreSQL this runs under one
 * advisory lock, so instances starting together neither migrate twice nor mint rival keys.
 */
export async function prepareDatabase(config: Config): Promise<{ applied: string[]; createdKeys: string[] }> {
  const run = async () => {
    const applied = await migrate(config.databaseUrl, { locked: true });
    const db = createPrisma(config.databaseUrl);
    try {
      const createdKeys = await createKeyService(createKeyQueries(db), { kek: config.kek }).ensureKeys();
      return { applied, createdKeys };
    } finally {
      await db.$disconnect();
    }
  };
  return config.store === 'postgresql' ? withPostgresLock(config.databaseUrl, run) : run();
}
