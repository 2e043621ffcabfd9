import { createMigratedDatabase } from '../support/test-database.js';
import { createWebAuthnChallengeQueries, type ChallengeScope } from '../../src/passkeys/webauthn-challenge-queries.js';
import { createPasskeyChallenges, LIVE_CHALLENGES_PER_BINDING } from '../../src/passkeys/passkey-challenges.js';

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let queries: ReturnType<typeof createWebAuthnChallengeQueries>;
const now = new Date(Date.UTC(2026, 11, 4, 12));
const later = (ms: number) => new Date(now.getTime() + ms);
let n = 0;

beforeAll(async () => {
  store = await createMigratedDatabase();
  queries = createWebAuthnChallengeQueries(store.db);
});
afterAll(() => store.close());

async function issued(expiresInMs = 5 * 60_000): Promise<ChallengeScope> {
  n += 1;
  const scope = { purpose: 'authentication' as const, binding: `binding-${n}`, challenge: `challenge-${n}` };
  await queries.insert({ id: `id-${n}`, ...scope, accountId: null, expiresAt: later(expiresInMs) });
  return scope;
}

describe('a WebAuthn challenge is spent by one conditional update', () => {
  test('twenty parallel submissions of one challenge: exactly one spends it', async () => {
    const scope = await issued();
    const results = await Promise.all(Array.from({ length: 20 }, () => queries.consume(scope, now)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await queries.findLive(scope, now)).toBeNull();
  });

  test('an expired challenge is neither found nor spent', async () => {
    const scope = await issued(60_000);
    expect(await queries.findLive(scope, later(59_999))).not.toBeNull();
    expect(await queries.consume(scope, later(60_000))).toBe(false);
    expect(await queries.findLive(scope, later(60_000))).toBeNull();
  });

  test('it answers only where and for what it was issued', async () => {
    const scope = await issued();
    expect(await queries.consume({ ...scope, binding: 'another session' }, now)).toBe(false);
    expect(await queries.consume({ ...scope, purpose: 'registration' }, now)).toBe(false);
    expect(await queries.consume(scope, now)).toBe(true);
  });

  test('expired challenges are swept, live ones stay', async () => {
    const old = await issued(-1);
    const live = await issued();
    expect(await queries.sweepExpired(now, 500)).toBeGreaterThanOrEqual(1);
    expect(await store.db.webAuthnChallenge.count({ where: { challenge: old.challenge } })).toBe(0);
    expect(await queries.findLive(live, now)).not.toBeNull();
  });
});

describe('the challenges one interaction may hold', () => {
  test('keep the one just issued even when all were issued in the same millisecond', async () => {
    const frozen = createPasskeyChallenges(queries, () => now.getTime());
    const binding = 'interaction:same-millisecond';
    // Enough rounds that a tie broken by the random id would have picked the newest to go.
    for (let i = 0; i < 40; i += 1) {
      await frozen.issue('authentication', binding, `same-${i}`);
      const clientData = Buffer.from(JSON.stringify({ challenge: `same-${i}` })).toString('base64url');
      await expect(frozen.live('authentication', binding, clientData)).resolves.toMatchObject({
        challenge: `same-${i}`,
      });
    }
    expect(await store.db.webAuthnChallenge.count({ where: { binding } })).toBe(LIVE_CHALLENGES_PER_BINDING);
  });

  test('are capped: past the limit the oldest go, the newest still answer, and other bindings are untouched', async () => {
    const challenges = createPasskeyChallenges(queries, () => now.getTime());
    const neighbour = await issued();
    const binding = 'interaction:flooded';
    // Issued a millisecond apart, as a script calling the options endpoint in a loop would.
    let clock = now.getTime();
    const ticking = createPasskeyChallenges(queries, () => (clock += 1));
    for (let i = 0; i < 12; i += 1) await ticking.issue('authentication', binding, `flood-${i}`);
    const held = await store.db.webAuthnChallenge.findMany({ where: { binding }, select: { challenge: true } });
    expect(held.map((h) => h.challenge).sort()).toEqual(
      Array.from(
        { length: LIVE_CHALLENGES_PER_BINDING },
        (_, i) => `flood-${12 - LIVE_CHALLENGES_PER_BINDING + i}`,
      ).sort(),
    );
    const clientData = Buffer.from(JSON.stringify({ challenge: 'flood-11' })).toString('base64url');
    await expect(challenges.live('authentication', binding, clientData)).resolves.toMatchObject({
      challenge: 'flood-11',
    });
    const first = Buffer.from(JSON.stringify({ challenge: 'flood-0' })).toString('base64url');
    await expect(challenges.live('authentication', binding, first)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_CHALLENGE',
    });
    expect(await queries.findLive(neighbour, now)).not.toBeNull();
  });
});
