import type { Config } from '../config/load-config.js';
import { migrate, withPostgresLock } from './migrate.js';
import { createPrisma } from './create-prisma.js';
import { createKeyQueries } from '../keys/key-queries.js';
import { createKeyService } from '../keys/key-service.js';
import { createOidcRecordQueries } from '../oidc/oidc-record-queries.js';
import { hashLegacyClientSecrets } from '../clients/hash-legacy-client-secrets.js';

/**
 * Brings a database up to date (schema, and client secrets stored before they were hashed) and
 * makes sure the keys exist. On PostgreSQL this runs under one
 * advisory lock, so instances starting together neither migrate twice nor mint rival keys.
 */
export async function prepareDatabase(config: Config): Promise<{ applied: string[]; createdKeys: string[]; hashedSecrets: string[] }> {
  const run = async () => {
    const applied = await migrate(config.databaseUrl, { locked: true });
    const db = createPrisma(config.databaseUrl);
    try {
      const createdKeys = await createKeyService(createKeyQueries(db), { kek: config.kek }).ensureKeys();
      const hashedSecrets = await hashLegacyClientSecrets(createOidcRecordQueries(db));
      return { applied, createdKeys, hashedSecrets };
    } finally {
      await db.$disconnect();
    }
  };
  return config.store === 'postgresql' ? withPostgresLock(config.databaseUrl, run) : run();
}
