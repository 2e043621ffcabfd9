import { randomBytes } from 'node:crypto';
import type { AccountQueries, AccountRow } from './account-queries.js';
import type { PasswordHasher } from './password-hasher.js';
import type { ConcurrencyGate } from './concurrency-gate.js';
import { isPlausibleEmail, normalizeEmail } from '../kernel/normalize-email.js';
import { isOverlong } from './password-policy.js';
import type { SignInThrottle, ThrottleSubject } from '../throttle/sign-in-throttle.js';
import type { KnownDevice } from '../throttle/device-cookies.js';
import { NOT_AN_EMAIL, type AuditService } from '../audit/audit-service.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { waitInWords } from '../kernel/wait-in-words.js';

/**
 * Why a password is being checked: to sign in, or to confirm the signed-in person before a
 * sensitive change (password change now, MFA enrolment later; ASVS 4.0 §2.5.6 / §3.7.1).
 */
export type PasswordPurpose = 'signin' | 'reauth';

export interface PasswordAttempt {
  readonly purpose: PasswordPurpose;
  /** The email typed at sign-in. Re-authentication names the account by `accountId` instead. */
  readonly email?: string;
  readonly accountId?: string;
  readonly password: string;
  readonly ip: string;
  readonly userAgent?: string;
  readonly clientId?: string;
  /** The browser's verified device cookie; it counts only when it names the account checked. */
  readonly device?: KnownDevice;
  /** What the check is for, recorded with the audit events (e.g. `{ action: 'password_change' }`). */
  readonly detail?: Record<string, unknown>;
}

export type PasswordCheckResult =
  | { readonly ok: true; readonly account: AccountRow }
  | { readonly ok: false; readonly reason: 'invalid_credentials' | 'overlong_password' }
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterSeconds: number };

/** A refused check turned into a domain error, for callers that throw (answer 429 with Retry-After). */
export class ThrottledError extends GatehouseError<'ERR_THROTTLED'> {
  constructor(retryAfterSeconds: number) {
    super('ERR_THROTTLED', `Too many failed attempts. Try again in ${waitInWords(retryAfterSeconds)}.`, {
      retryAfterSeconds,
    });
  }
}

export interface PasswordCheckDeps {
  readonly accounts: AccountQueries;
  readonly hasher: PasswordHasher;
  readonly gate: ConcurrencyGate;
  readonly throttle: SignInThrottle;
  readonly audit: AuditService;
}

/**
 * The one place a password is verified (ASVS 4.0 §2.2.1): every check is throttled, its hashing
 * bounded by the concurrency gate, and every failure and block audited, whatever asks for it.
 */
export function createPasswordCheck({ accounts, hasher, gate, throttle, audit }: PasswordCheckDeps) {
  // Unknown emails are verified against this hash, so they cost what a wrong password costs
  // and the two cannot be told apart by timing (no user enumeration).
  let decoy: Promise<string> | undefined;
  const decoyHash = () => (decoy ??= hasher.hash(randomBytes(16).toString('hex')));

  return async function check(attempt: PasswordAttempt): Promise<PasswordCheckResult> {
    const account = attempt.accountId
      ? await accounts.findById(attempt.accountId)
      : await accounts.findByEmail(normalizeEmail(attempt.email ?? ''));
    const email = account?.email ?? normalizeEmail(attempt.email ?? '');
    const known = Boolean(account && attempt.device?.accountId === account.id);
    const type = attempt.purpose;
    const context = {
      email,
      accountId: account?.id,
      ip: attempt.ip,
      userAgent: attempt.userAgent,
      clientId: attempt.clientId,
    };
    const detail = (extra: Record<string, unknown> = {}) => ({
      ...attempt.detail,
      ...(known ? { browser: 'known' } : {}),
      ...extra,
    });
    const subject: ThrottleSubject = {
      // Whatever was typed, if not an email, can match no account: one shared counter, and it is
      // never stored (it may be a password typed into the wrong field).
      account: isPlausibleEmail(email) ? email : NOT_AN_EMAIL,
      ip: attempt.ip,
      deviceId: known ? attempt.device?.deviceId : undefined,
    };
    const throttled = async (retryAfterSeconds: number): Promise<PasswordCheckResult> => {
      await audit.record({
        type: `${type}.throttled`,
        outcome: 'blocked',
        reason: 'too_many_failures',
        detail: detail({ retryAfterSeconds }),
        ...context,
      });
      return { ok: false, reason: 'throttled', retryAfterSeconds };
    };

    if (isOverlong(attempt.password)) {
      await audit.record({ type, outcome: 'failure', reason: 'overlong_password', detail: detail(), ...context });
      return { ok: false, reason: 'overlong_password' };
    }

    // Counted before the check, so parallel guesses cannot all pass a look at the block (ASVS 4.0 §2.2.1).
    const admission = await throttle.begin(subject);
    if (!admission.admitted) return throttled(admission.retryAfter);

    let matches: boolean;
    try {
      const hash = account?.passwordHash ?? (await decoyHash());
      matches = await gate(() => hasher.verify(hash, attempt.password));
    } catch (error) {
      await admission.abandoned();
      throw error;
    }

    if (!account || !matches || account.disabled) {
      const reason = !account ? 'unknown_account' : !matches ? 'wrong_password' : 'account_disabled';
      await audit.record({ type, outcome: 'failure', reason, detail: detail(), ...context });
      const block = await admission.failed();
      return block > 0 ? throttled(block) : { ok: false, reason: 'invalid_credentials' };
    }

    await admission.succeeded();
    if (hasher.needsRehash(account.passwordHash)) {
      // Cost parameters changed since this hash was made: upgrade it now that we hold the password.
      await accounts.update(account.id, { passwordHash: await gate(() => hasher.hash(attempt.password)) });
    }
    await audit.record({
      type,
      outcome: 'success',
      detail: attempt.detail || known ? detail() : undefined,
      ...context,
    });
    return { ok: true, account };
  };
}

export type PasswordCheck = ReturnType<typeof createPasswordCheck>;
