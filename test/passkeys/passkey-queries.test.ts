import { createMigratedDatabase } from '../support/test-database.js';
import { createPasskeyQueries } from '../../src/passkeys/passkey-queries.js';
import { createAccountErasureQueries } from '../../src/accounts/account-erasure-queries.js';
import { createPreparedPasskeyCount } from '../../src/passkeys/prepared-passkey-count.js';
import { passkeyRow } from '../support/passkey-row.js';

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let queries: ReturnType<typeof createPasskeyQueries>;
const at = new Date(Date.UTC(2026, 11, 4, 12));
let n = 0;

beforeAll(async () => {
  store = await createMigratedDatabase();
  queries = createPasskeyQueries(store.db, createPreparedPasskeyCount(store.driver));
});
afterAll(() => store.close());

async function account() {
  n += 1;
  const row = { id: `acct-${n}`, email: `p${n}@example.com`, passwordHash: 'x' };
  await store.db.account.create({ data: row });
  return row;
}

const passkey = (accountId: string, id: string) => passkeyRow(accountId, id, at);

describe('passkey rows', () => {
  test('a credential id is registered once, whichever account tries again', async () => {
    const [a, b] = [await account(), await account()];
    expect(await queries.insert(passkey(a.id, 'cred-once'))).toEqual({ first: true });
    expect(await queries.insert(passkey(b.id, 'cred-once'))).toBe('exists');
  });

  test('a counter larger than 2^31 is kept (WebAuthn counters are unsigned 32-bit)', async () => {
    const a = await account();
    await queries.insert(passkey(a.id, 'cred-big'));
    expect(await queries.recordUse('cred-big', 0n, { counter: 4_294_967_295n, backedUp: false, at })).toBe(true);
    expect((await queries.find('cred-big'))?.counter).toBe(4_294_967_295n);
  });

  test('of two parallel uses checked against one counter, one is recorded', async () => {
    const a = await account();
    await queries.insert(passkey(a.id, 'cred-race'));
    const results = await Promise.all(
      [1n, 1n, 1n].map((counter) => queries.recordUse('cred-race', 0n, { counter, backedUp: false, at })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('rename and remove touch only the owner’s passkey', async () => {
    const [a, b] = [await account(), await account()];
    await queries.insert(passkey(a.id, 'cred-owned'));
    expect(await queries.rename(b.id, 'cred-owned', 'Mine now')).toBe(false);
    expect(await queries.remove(b.id, 'cred-owned', at)).toBeNull();
    expect(await queries.rename(a.id, 'cred-owned', 'Phone')).toBe(true);
    expect(await queries.remove(a.id, 'cred-owned', at)).toEqual({
      row: expect.objectContaining({ name: 'Phone' }),
      factorsLeft: 0,
    });
    expect(await queries.find('cred-owned')).toBeNull();
  });

  test('deleting the account takes its passkeys with it (cascade), and so does erasure', async () => {
    const [a, b] = [await account(), await account()];
    await queries.insert(passkey(a.id, 'cred-cascade'));
    await store.db.account.delete({ where: { id: a.id } });
    expect(await queries.find('cred-cascade')).toBeNull();

    await queries.insert(passkey(b.id, 'cred-erased'));
    await createAccountErasureQueries(store.db).erase(b.id, b.email);
    expect(await queries.listByAccount(b.id)).toEqual([]);
  });
});
