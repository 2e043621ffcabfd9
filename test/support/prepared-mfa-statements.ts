import type { DriverConnection } from '../../src/db/create-prisma.js';
import type { PreparedMfaStatements } from '../../src/mfa/mfa-queries.js';
import { createPreparedTotpLookup } from '../../src/mfa/prepared-totp-lookup.js';
import { createPreparedNetworkRecord } from '../../src/mfa/prepared-network-record.js';
import { createPreparedPasskeyCount } from '../../src/passkeys/prepared-passkey-count.js';

/** The MFA queries' prepared statements as the container builds them, without the metrics. */
export const preparedMfaStatements = (driver: DriverConnection): PreparedMfaStatements => ({
  totp: createPreparedTotpLookup(driver),
  networks: createPreparedNetworkRecord(driver),
  passkeys: createPreparedPasskeyCount(driver),
});
