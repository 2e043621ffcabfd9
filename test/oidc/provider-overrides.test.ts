import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OIDC_PROVIDER_CHECKED_VERSION } from '../../src/oidc/provider-overrides.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { eventually } from '../support/eventually.js';
import { prepareDatabase } from '../../src/boot/prepare-database.js';
import { createContainer, type Container } from '../../src/boot/container.js';
import { systemClock } from '../../src/kernel/clock.js';
import { CONSOLE_CLIENT_ID } from '../../src/clients/console-client.js';

const installedVersion = () =>
  (
    JSON.parse(readFileSync(join(process.cwd(), 'node_modules/oidc-provider/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

describe('the oidc-provider overrides', () => {
  it('were checked against the oidc-provider that is installed (an upgrade means reading each override again)', () => {
    // On failure: read every override in src/oidc/provider-overrides.ts against the new upstream
    // code it names, then set OIDC_PROVIDER_CHECKED_VERSION to the installed version.
    expect(installedVersion()).toBe(OIDC_PROVIDER_CHECKED_VERSION);
  });
});

describe("Client.find, over the client cache's records", () => {
  let database: TestDatabase;
  let container: Container;
  let other: Container;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = database.config();
    const { kek } = await prepareDatabase(config, systemClock);
    container = await createContainer(config, kek.key, systemClock);
    // Another writer on its own connection, as the CLI or another instance is.
    other = await createContainer(config, kek.key, systemClock);
  });

  afterAll(async () => {
    await Promise.all([container?.close(), other?.close()]);
    await database.drop();
  });

  const find = (id: string) => container.providers.current().provider.Client.find(id);

  it('hands back the same Client while the stored client is unchanged, and a new one once it changes', async () => {
    const { client_id: id } = await container.clients.add({ name: 'Ledger', grantTypes: ['client_credentials'] });
    const first = await find(id);
    expect(first?.clientName).toBe('Ledger');
    expect(await find(id)).toBe(first);

    await container.clients.update(id, { name: 'Ledger (renamed here)' });
    const renamed = await find(id);
    expect(renamed).not.toBe(first);
    expect(renamed?.clientName).toBe('Ledger (renamed here)');

    await other.clients.update(id, { name: 'Ledger (renamed elsewhere)' });
    await eventually(async () => (await find(id))?.clientName === 'Ledger (renamed elsewhere)', 5000);

    await other.clients.remove(id);
    await eventually(async () => (await find(id)) === undefined, 5000);
  });

  it('still finds the static console client and nothing for an unknown id', async () => {
    expect((await find(CONSOLE_CLIENT_ID))?.clientId).toBe(CONSOLE_CLIENT_ID);
    expect(await find('never-registered')).toBeUndefined();
    expect(await find('')).toBeUndefined();
  });
});
