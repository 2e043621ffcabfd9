import type { Config } from '../config/load-config.js';
import { migrate, withPostgresLock } from '../db/migrate.js';
import { createDatabase, sqlitePath } from '../db/create-prisma.js';
import { secureSqliteFiles } from '../db/secure-sqlite-files.js';
import { createKeyQueries } from '../keys/key-queries.js';
import { createKeyService } from '../keys/key-service.js';
import { createOidcRecordQueries } from '../db/oidc-record-queries.js';
import { createPreparedOidcRecords } from '../db/prepared-oidc-records.js';
import { hashLegacyClientSecrets } from '../clients/hash-legacy-client-secrets.js';
import { resolveKek, type ResolvedKek } from '../keys/resolve-kek.js';
import type { Clock } from '../kernel/clock.js';
import { createClientService } from '../clients/client-service.js';
import { createResourceService } from '../resources/resource-service.js';
import { createResourceQueries } from '../resources/resource-queries.js';
import { createPreparedResourceLookups } from '../resources/prepared-resource-lookups.js';
import { managementApiIdentifier } from '../resources/management-api.js';
import { knowsIssuer, type ProcessRole } from './process-role.js';

export interface PreparedDatabase {
  readonly applied: string[];
  readonly createdKeys: string[];
  /** Keys found in the clear (written by an earlier version) and sealed now. */
  readonly sealedKeys: string[];
  /** Clients whose secret was stored in the clear (before secrets were hashed) and is hashed now. */
  readonly hashedSecrets: string[];
  /** The key-encryption key every part of this process must use (the container gets it from here). */
  readonly kek: ResolvedKek;
  /** File permission changes and problems, one sentence each, for the start-up log. */
  readonly fileNotes: string[];
  /** The management API's identifier when it was registered now (the first start). */
  readonly managementApi?: string;
}

/**
 * Brings a database up to date (schema, and client secrets stored before they were hashed) and
 * makes sure the keys exist, sealed. On PostgreSQL this runs
 * under one advisory lock, so instances starting together neither migrate twice nor mint rival keys.
 * Every entry point (server, CLI, `gatehouse migrate`) starts here, so they all resolve the same KEK.
 */
export async function prepareDatabase(
  config: Config,
  clock: Clock,
  role: ProcessRole = 'server',
): Promise<PreparedDatabase> {
  // The management API is named after the issuer. A command run without ISSUER (an operator's
  // shell beside a server that has it) would make a second one under http://localhost:3000, which
  // no server answers as, and which that command then refuses to remove as built in. The server
  // makes it at its start in any case.
  const makesManagementApi = knowsIssuer(role, config);
  const fileNotes =
    config.store === 'sqlite' ? secureSqliteFiles(sqlitePath(config.databaseUrl), [config.kekFile]) : [];
  const kek = resolveKek(config);
  fileNotes.push(...kek.notes);
  const run = async () => {
    const applied = await migrate(config.databaseUrl, { locked: true });
    const { db, driver, close } = createDatabase(config.databaseUrl);
    try {
      const keys = createKeyService(createKeyQueries(db), { kek: kek.key, clock });
      const sealedKeys = await keys.sealUnsealed();
      const createdKeys = await keys.ensureKeys();
      const records = createOidcRecordQueries(db, createPreparedOidcRecords(driver, clock));
      const hashedSecrets = await hashLegacyClientSecrets(records);
      // The management API exists from the first start. Its own client is fixed metadata we write
      // (no grants, a hashed secret), so the provider's validation, not built yet, is not needed.
      const identifier = managementApiIdentifier(config.issuer);
      const resources: ReturnType<typeof createResourceService> = createResourceService(
        createResourceQueries(db, createPreparedResourceLookups(driver)),
        createClientService(
          records,
          async () => {},
          (id) => resources.find(id),
          clock,
        ),
        { builtIn: identifier },
      );
      const managementApi = makesManagementApi && (await resources.ensureManagementApi()) ? identifier : undefined;
      return { applied, createdKeys, sealedKeys, hashedSecrets, kek, fileNotes, managementApi };
    } finally {
      await close();
    }
  };
  return config.store === 'postgresql' ? withPostgresLock(config.databaseUrl, run) : run();
}
