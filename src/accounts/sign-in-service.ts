import { randomBytes } from 'node:crypto';
import type { AccountQueries, AccountRow } from './account-queries.js';
import type { PasswordHasher } from './password-hasher.js';
import type { ConcurrencyGate } from './concurrency-gate.js';
import { normalizeEmail } from './normalize-email.js';
import { isOverlong } from './password-policy.js';
import type { SignInThrottle } from '../throttle/sign-in-throttle.js';
import type { AuditService } from '../audit/audit-service.js';

export interface SignInAttempt {
  readonly email: string;
  readonly password: string;
  readonly ip: string;
  readonly userAgent?: string;
  readonly clientId?: string;
}

export type SignInResult =
  | { readonly ok: true; readonly account: AccountRow }
  | { readonly ok: false; readonly reason: 'invalid_credentials' | 'overlong_password' }
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterSeconds: number };

export interface SignInDeps {
  readonly accounts: AccountQueries;
  readonly hasher: PasswordHasher;
  readonly gate: ConcurrencyGate;
  readonly throttle: SignInThrottle;
  readonly audit: AuditService;
}

export function createSignInService({ accounts, hasher, gate, throttle, audit }: SignInDeps) {
  // Unknown emails are verified against this hash, so they cost what a wrong password costs
  // and the two cannot be told apart by timing (no user enumeration).
  let decoy: Promise<string> | undefined;
  const decoyHash = () => (decoy ??= hasher.hash(randomBytes(16).toString('hex')));

  return {
    async signIn(attempt: SignInAttempt): Promise<SignInResult> {
      const email = normalizeEmail(attempt.email);
      const context = { email, ip: attempt.ip, userAgent: attempt.userAgent, clientId: attempt.clientId };
      if (isOverlong(attempt.password)) {
        await audit.record({ type: 'signin', outcome: 'failure', reason: 'overlong_password', ...context });
        return { ok: false, reason: 'overlong_password' };
      }

      const blocked = await throttle.retryAfter(email, attempt.ip);
      if (blocked > 0) {
        await audit.record({ type: 'signin.throttled', outcome: 'blocked', reason: 'too_many_failures', detail: { retryAfterSeconds: blocked }, ...context });
        return { ok: false, reason: 'throttled', retryAfterSeconds: blocked };
      }

      const account = await accounts.findByEmail(email);
      const hash = account?.passwordHash ?? await decoyHash();
      const matches = await gate(() => hasher.verify(hash, attempt.password));

      if (!account || !matches || account.disabled) {
        const reason = !account ? 'unknown_account' : !matches ? 'wrong_password' : 'account_disabled';
        await audit.record({ type: 'signin', outcome: 'failure', reason, accountId: account?.id, ...context });
        const block = await throttle.recordFailure(email, attempt.ip);
        if (block > 0) {
          await audit.record({ type: 'signin.throttled', outcome: 'blocked', reason: 'too_many_failures', detail: { retryAfterSeconds: block }, ...context });
          return { ok: false, reason: 'throttled', retryAfterSeconds: block };
        }
        return { ok: false, reason: 'invalid_credentials' };
      }

      await throttle.recordSuccess(email);
      if (hasher.needsRehash(account.passwordHash)) {
        // Cost parameters changed since this hash was made: upgrade it now that we hold the password.
        await accounts.update(account.id, { passwordHash: await gate(() => hasher.hash(attempt.password)) });
      }
      await audit.record({ type: 'signin', outcome: 'success', accountId: account.id, ...context });
      return { ok: true, account };
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
