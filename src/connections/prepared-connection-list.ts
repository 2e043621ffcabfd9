import type { DriverConnection } from '../db/create-prisma.js';
import { preparedStatement } from '../db/prepared-statements.js';
import type { ConnectionRow, PreparedConnectionList } from './connection-queries.js';

/** Every column of the model, as Prisma reads them (the test pins the list to the schema). */
const CONNECTION_COLUMNS = [
  'id',
  'name',
  'type',
  'issuer',
  'clientId',
  'clientSecretSealed',
  'scope',
  'buttonLabel',
  'autoCreate',
  'domains',
  'trustUpstreamMfa',
  'mfaAcr',
  'createdAt',
  'updatedAt',
] as const;

/**
 * Every connection, oldest first, as a prepared statement on Prisma's connection
 * (src/db/prepared-statements.ts): the sign-in page lists them ("Continue with …") on each of
 * its requests, from memory (connection-list-cache.ts) once this has read them. The table holds a
 * handful of rows, so a full read is the cheap part; the model API's query compiler was not.
 * test/connections/prepared-connection-list.test.ts pins the rows.
 */
export function createPreparedConnectionList(driver: DriverConnection): PreparedConnectionList {
  const list = preparedStatement<ConnectionRow>(
    driver,
    'gatehouse_connection_list',
    `SELECT ${CONNECTION_COLUMNS.map((column) => `"${column}"`).join(', ')} FROM "Connection" ORDER BY "createdAt" ASC`,
    { booleans: ['autoCreate', 'trustUpstreamMfa'], dates: ['createdAt', 'updatedAt'] },
  );
  return { list: () => list.rows() };
}
