import Provider from 'oidc-provider';
import type { Config } from './config/load-config.js';
import { createPrisma, type Db } from './db/create-prisma.js';
import { createOidcRecordQueries } from './oidc/oidc-record-queries.js';
import { createPrismaAdapter } from './oidc/prisma-adapter.js';
import { providerConfiguration } from './oidc/provider-configuration.js';
import { createFindAccount } from './oidc/find-account.js';
import { createKeyQueries } from './keys/key-queries.js';
import { createKeyService } from './keys/key-service.js';
import { createAccountQueries } from './accounts/account-queries.js';
import { createAccountService } from './accounts/account-service.js';
import { createPasswordHasher } from './accounts/password-hasher.js';
import { createClientService } from './clients/client-service.js';

/** Every dependency, built once from the Config and passed down explicitly. */
export async function createContainer(config: Config) {
  const db: Db = createPrisma(config.databaseUrl);
  const records = createOidcRecordQueries(db);
  const keys = createKeyService(createKeyQueries(db), { kek: config.kek });
  const accounts = createAccountService(createAccountQueries(db), createPasswordHasher());

  const provider = new Provider(config.issuer, providerConfiguration({
    adapter: createPrismaAdapter(records),
    findAccount: createFindAccount(accounts),
    jwks: await keys.signingJwks(),
    cookieKeys: await keys.cookieKeys(),
    secureCookies: config.issuer.startsWith('https:'),
  }));
  const clients = createClientService(records, (metadata) => provider.Client.validate(metadata));

  return {
    config,
    db,
    records,
    provider,
    keys,
    accounts,
    clients,
    pingDatabase: async () => {
      await db.$queryRawUnsafe('SELECT 1');
    },
    close: () => db.$disconnect(),
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
