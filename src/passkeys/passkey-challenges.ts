import { randomUUID } from 'node:crypto';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { ChallengePurpose, WebAuthnChallengeQueries, WebAuthnChallengeRow } from './webauthn-challenge-queries.js';
import { CHALLENGE_TTL_MS } from './passkey-deps.js';

/** The challenge the browser signed, read from its clientDataJSON (WebAuthn §5.8.1); undefined when unreadable. */
export function challengeOf(clientDataJSON: unknown): string | undefined {
  if (typeof clientDataJSON !== 'string') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof parsed.challenge === 'string' && parsed.challenge.length <= 256 ? parsed.challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Challenges one interaction or session may hold at once. Each options call makes one, and the
 * sign-in page may ask twice (autofill, then the button); anyone may call it, so without a cap one
 * interaction could fill the table for five minutes at a time. The oldest go first.
 */
export const LIVE_CHALLENGES_PER_BINDING = 5;

const expired = () =>
  new GatehouseError('ERR_PASSKEY_CHALLENGE', 'This passkey request has expired or was already used. Try again.');

/**
 * Challenges (WebAuthn §13.4.3): issued for one purpose where one session or interaction asked,
 * answered only from there within CHALLENGE_TTL_MS, and spent once. A try that fails does not
 * spend it, so the person can pick another authenticator from the same prompt; a success spends it
 * with one conditional update, so of parallel submissions of one answer only one succeeds.
 */
export function createPasskeyChallenges(queries: WebAuthnChallengeQueries, clock: Clock) {
  const now = () => new Date(clock());
  return {
    async issue(purpose: ChallengePurpose, binding: string, challenge: string, accountId?: string): Promise<void> {
      const expiresAt = new Date(clock() + CHALLENGE_TTL_MS);
      const id = randomUUID();
      await queries.insert({ id, purpose, binding, challenge, accountId: accountId ?? null, expiresAt });
      await queries.trim(purpose, binding, LIVE_CHALLENGES_PER_BINDING, id);
    },

    /** The live challenge the response answers, issued here for this purpose (and account); refused otherwise. */
    async live(
      purpose: ChallengePurpose,
      binding: string,
      clientDataJSON: unknown,
      accountId?: string,
    ): Promise<WebAuthnChallengeRow> {
      const challenge = challengeOf(clientDataJSON);
      const row = challenge ? await queries.findLive({ purpose, binding, challenge }, now()) : null;
      // A challenge issued for one account (registration, second step) answers only for that account.
      if (!row || (accountId !== undefined && row.accountId !== accountId)) throw expired();
      return row;
    },

    /** Spends it; throws for every submission but the one that did. */
    async spend(row: WebAuthnChallengeRow): Promise<void> {
      const scope = { purpose: row.purpose as ChallengePurpose, binding: row.binding, challenge: row.challenge };
      if (!(await queries.consume(scope, now()))) throw expired();
    },
  };
}

export type PasskeyChallenges = ReturnType<typeof createPasskeyChallenges>;
