import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createPreparedThrottleCounters } from '../../src/throttle/prepared-throttle-counters.js';
import {
  createUserCodeThrottle,
  USER_CODE_POLICY,
  type UserCodeAttempt,
} from '../../src/throttle/user-code-throttle.js';

// Device user codes (RFC 8628 §5.1) are counted per address on the real counter table: wrong codes
// stay counted, right ones are taken back but clear nothing, and blocks run out.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;

beforeAll(async () => {
  store = await createMigratedDatabase();
});

afterAll(async () => {
  await store.close();
});

const admitted = (attempt: UserCodeAttempt) => {
  if (!attempt.admitted) throw new Error(`refused for ${attempt.retryAfter} s`);
  return attempt;
};

describe('the user-code throttle', () => {
  const clock = frozenClock(Date.UTC(2026, 11, 5, 12, 0, 0));
  const throttle = () => createUserCodeThrottle({ counters: createPreparedThrottleCounters(store.driver), clock });

  it('lets the free wrong codes through, blocks the address after them, and lets it try again once the block runs out', async () => {
    const codes = throttle();
    for (let i = 0; i <= USER_CODE_POLICY.freeFailures; i += 1)
      await admitted(await codes.begin('203.0.113.1')).rejected();
    const refused = await codes.begin('203.0.113.1');
    expect(refused).toEqual({ admitted: false, retryAfter: USER_CODE_POLICY.baseBlockSeconds });
    // Another address is not held back by this one's guesses.
    expect((await codes.begin('203.0.113.2')).admitted).toBe(true);
    clock.advance(USER_CODE_POLICY.baseBlockSeconds * 1000);
    expect((await codes.begin('203.0.113.1')).admitted).toBe(true);
  });

  it('does not count a right code, and a right code does not clear the wrong ones before it', async () => {
    const codes = throttle();
    const address = '203.0.113.3';
    for (let i = 0; i < USER_CODE_POLICY.freeFailures; i += 1) {
      await admitted(await codes.begin(address)).rejected();
      // Codes anyone can mint from a public device client, typed between the guesses.
      await admitted(await codes.begin(address)).settled();
    }
    // The last free wrong code, then the block: the right codes cleared none of the ten before.
    await admitted(await codes.begin(address)).rejected();
    expect((await codes.begin(address)).admitted).toBe(false);
  });
});
