import { createMigratedDatabase } from '../support/test-database.js';
import { passkeyRow } from '../support/passkey-row.js';
import { createPreparedSecondFactors, type SecondFactorLookup } from '../../src/second-step/prepared-second-factors.js';

// The second-step policy learns an account's factors (a confirmed authenticator app, any passkey) in
// one prepared statement, on the store DATABASE_URL selects. It must say what the rows say: a
// pending enrolment is no app, and another account's factors are not this one's.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let factors: SecondFactorLookup;
const at = new Date(Date.UTC(2026, 11, 6, 9));
let n = 0;

beforeAll(async () => {
  store = await createMigratedDatabase();
  factors = createPreparedSecondFactors(store.driver);
});
afterAll(() => store.close());

async function account(): Promise<string> {
  n += 1;
  const id = `factors-${n}`;
  await store.db.account.create({ data: { id, email: `f${n}@example.com`, passwordHash: 'x' } });
  return id;
}

const app = (accountId: string, confirmedAt: Date | null) =>
  store.db.totpFactor.create({ data: { accountId, secret: 'sealed', confirmedAt, createdAt: at } });

const passkey = (accountId: string, id: string) => store.db.passkey.create({ data: passkeyRow(accountId, id, at) });

describe("one look-up of an account's second factors", () => {
  test('an account with neither has no app and no passkey', async () => {
    expect(await factors.of(await account())).toEqual({ totp: false, passkey: false });
  });

  test('an enrolment still waiting for its first code is no app; once confirmed it is', async () => {
    const id = await account();
    await app(id, null);
    expect(await factors.of(id)).toEqual({ totp: false, passkey: false });
    await store.db.totpFactor.update({ where: { accountId: id }, data: { confirmedAt: at } });
    expect(await factors.of(id)).toEqual({ totp: true, passkey: false });
  });

  test('one passkey or several count as a passkey, beside an app or alone', async () => {
    const alone = await account();
    await passkey(alone, `${alone}-a`);
    await passkey(alone, `${alone}-b`);
    expect(await factors.of(alone)).toEqual({ totp: false, passkey: true });

    const both = await account();
    await app(both, at);
    await passkey(both, `${both}-a`);
    expect(await factors.of(both)).toEqual({ totp: true, passkey: true });
  });

  test("another account's factors are not this one's, and an unknown account has none", async () => {
    const owner = await account();
    await app(owner, at);
    await passkey(owner, `${owner}-a`);
    expect(await factors.of(await account())).toEqual({ totp: false, passkey: false });
    expect(await factors.of('nobody')).toEqual({ totp: false, passkey: false });
  });
});
