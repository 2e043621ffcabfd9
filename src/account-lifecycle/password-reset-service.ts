import type { AccountQueries, AccountRow } from '../accounts/account-queries.js';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import type { ConcurrencyGate } from '../accounts/concurrency-gate.js';
import { isPlausibleEmail, normalizeEmail } from '../kernel/normalize-email.js';
import { checkPasswordPolicy } from '../accounts/password-policy.js';
import type { EmailTokens } from '../mail/email-tokens.js';
import type { EmailTokenQueries } from '../mail/email-token-queries.js';
import type { Outbox } from '../mail/outbox.js';
import type { OutboxRow } from '../mail/outbox-queries.js';
import { composeMail, mailLocale, type MailBrand } from '../mail/compose-mail.js';
import type { Locale } from '../kernel/supported-locales.js';
import type { MfaService, SecondFactorProof } from '../mfa/mfa-service.js';
import type { SessionService } from '../sessions/session-service.js';
import { NOT_AN_EMAIL, type AuditService } from '../audit/audit-service.js';
import type { EmailRequestThrottle } from '../throttle/email-request-throttle.js';
import type { CredentialsChanged } from './credentials-changed.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/** A reset link works this long (OWASP Forgot Password Cheat Sheet: short-lived). */
export const RESET_LINK_TTL_MS = 30 * 60 * 1000;
export const RESET_PATH = '/password/reset';

export interface ResetActor {
  readonly ip: string;
  readonly userAgent?: string;
  /** The browser's signed remembered-device cookie: the owner's remembered browser has its own allowance of wrong codes. */
  readonly rememberedDevice?: string;
}

interface ResetRequest {
  readonly email: string;
  readonly ip: string;
  readonly userAgent?: string;
  /** The language of the page it was asked from: the mail is written in it. */
  readonly locale?: Locale;
}

/** A link is bound to the password it was made for: any change since then kills it. */
const bindingOf = (account: Pick<AccountRow, 'passwordChangedAt'>) =>
  account.passwordChangedAt?.toISOString() ?? 'never';

export interface PasswordResetDeps {
  readonly accounts: AccountQueries;
  readonly hasher: PasswordHasher;
  readonly gate: ConcurrencyGate;
  readonly tokens: EmailTokens;
  readonly tokenQueries: Pick<EmailTokenQueries, 'spendForPassword'>;
  readonly outbox: Outbox;
  readonly mfa: Pick<MfaService, 'status' | 'verify'>;
  readonly sessions: Pick<SessionService, 'revokeSessions' | 'revokeRefreshTokens'>;
  readonly audit: AuditService;
  readonly throttle: EmailRequestThrottle;
  readonly brand: MailBrand;
  readonly credentialsChanged: CredentialsChanged;
  readonly clock: Clock;
}

/**
 * Password reset by email (OWASP Forgot Password Cheat Sheet; ASVS 4.0 §2.5). Asking for a link
 * only counts the request and queues it: the server looks the address up later, so the answer and
 * its timing are the same whether an account has it or not (no enumeration).
 */
export function createPasswordResetService(deps: PasswordResetDeps) {
  const { accounts, tokens, outbox, mfa, sessions, audit, brand, clock } = deps;

  /** The account a live link belongs to, if the link still works for it. */
  const open = async (token: string) => {
    const link = await tokens.findLive('password_reset', token);
    const account = link?.accountId ? await accounts.findById(link.accountId) : null;
    // The link was mailed to one address: once the account has another, that mailbox opens nothing.
    if (!link || !account || account.disabled || link.binding !== bindingOf(account) || link.email !== account.email)
      return undefined;
    return { link, account, secondFactor: (await mfa.status(account.id)).totp };
  };

  return {
    /** "Forgot your password?": counts the request per address and per email, and queues it. */
    async request(input: {
      email: string;
      ip: string;
      userAgent?: string;
      /** The page's language, for the mail. */
      locale?: Locale;
    }): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
      const email = normalizeEmail(input.email);
      const blocked = await deps.throttle.take(input.ip, isPlausibleEmail(email) ? email : NOT_AN_EMAIL);
      if (blocked > 0) {
        await audit.record({
          type: 'password_reset.requested',
          outcome: 'blocked',
          reason: 'too_many_requests',
          email,
          ip: input.ip,
          userAgent: input.userAgent,
          detail: { retryAfterSeconds: blocked },
        });
        return { ok: false, retryAfterSeconds: blocked };
      }
      await outbox.enqueue('password_reset_request', {
        email,
        ip: input.ip,
        userAgent: input.userAgent,
        locale: input.locale,
      } satisfies ResetRequest);
      return { ok: true };
    },

    /**
     * A password link for an account an operator just made without a password (account-admin-service.ts):
     * queued as a request is, with no address to count (no visitor asked for it). Written in the
     * account's stored language, since no page asked for it.
     */
    async queueLink(email: string): Promise<boolean> {
      await outbox.enqueue('password_reset_request', { email: normalizeEmail(email), ip: '' } satisfies ResetRequest);
      return true;
    },

    /** Run by the outbox: mails a link when an active account has the address; audits either way. */
    async resolveRequest(payload: unknown, row: OutboxRow): Promise<'sent' | 'dropped'> {
      const request = payload as ResetRequest;
      const account = await accounts.findByEmail(request.email);
      const context = { email: request.email, ip: request.ip, userAgent: request.userAgent };
      if (!account || account.disabled) {
        await audit.record({
          type: 'password_reset.requested',
          outcome: 'failure',
          reason: account ? 'account_disabled' : 'unknown_account',
          ...context,
        });
        return 'dropped';
      }
      const issued = await tokens.issue(
        {
          id: row.id,
          purpose: 'password_reset',
          accountId: account.id,
          email: account.email,
          binding: bindingOf(account),
          ttlMs: RESET_LINK_TTL_MS,
          path: RESET_PATH,
        },
        (url) =>
          composeMail(brand, mailLocale(brand, request.locale, account.locale), {
            to: account.email,
            subject: 'mail.reset.subject',
            paragraphs: ['mail.reset.lead'],
            link: { label: 'mail.reset.button', url },
            after: ['mail.reset.expiry'],
            values: { email: account.email, minutes: RESET_LINK_TTL_MS / 60_000 },
          }),
      );
      if (issued)
        await audit.record({ type: 'password_reset.requested', outcome: 'success', accountId: account.id, ...context });
      return 'sent';
    },

    /** What the reset page needs to show its form, or undefined when the link no longer works. */
    async open(token: string): Promise<{ email: string; secondFactor: boolean } | undefined> {
      const opened = await open(token);
      return opened && { email: opened.account.email, secondFactor: opened.secondFactor };
    },

    /**
     * Sets the new password: the link works once, even under parallel use (one conditional update
     * spends it with the password change, in one transaction). A person with a second factor
     * proves it first (the link alone is one factor). Every session and refresh token of the
     * account ends, the person is told by mail, and it is audited.
     */
    async complete(input: {
      token: string;
      password: string;
      confirm: string;
      proof?: SecondFactorProof;
      actor: ResetActor;
      /** The page's language, for the notice mail. */
      locale?: Locale;
    }): Promise<{ email: string }> {
      const opened = await open(input.token);
      if (!opened)
        throw new GatehouseError('ERR_LINK_INVALID', 'This link has expired or was already used. Ask for a new one.');
      const { link, account } = opened;
      if (input.password !== input.confirm)
        throw new GatehouseError('ERR_PASSWORD_CONFIRMATION', 'The two passwords are not the same.');
      const problem = checkPasswordPolicy(input.password);
      if (problem) throw new GatehouseError('ERR_PASSWORD_POLICY', problem);
      if (opened.secondFactor) {
        if (!input.proof)
          throw new GatehouseError('ERR_SECOND_FACTOR_REQUIRED', 'Enter the code from your authenticator app.');
        await mfa.verify(account.id, input.proof, { by: 'user', ...input.actor });
      }
      const hash = await deps.gate(() => deps.hasher.hash(input.password));
      if (!(await deps.tokenQueries.spendForPassword(link.id, new Date(clock()), account, hash))) {
        throw new GatehouseError('ERR_LINK_INVALID', 'This link has expired or was already used. Ask for a new one.');
      }
      await deps.credentialsChanged(account.id);
      const actor = { by: 'user' as const, ...input.actor };
      const ended = await sessions.revokeSessions(account.id, actor);
      await sessions.revokeRefreshTokens(account.id);
      await outbox.enqueue(
        'mail',
        composeMail(brand, mailLocale(brand, input.locale, account.locale), {
          to: account.email,
          subject: 'mail.passwordChanged.subject',
          paragraphs: ['mail.passwordChanged.lead', 'mail.passwordChanged.notYou'],
          values: { email: account.email },
        }),
      );
      await audit.record({
        type: 'password.reset',
        outcome: 'success',
        accountId: account.id,
        email: account.email,
        ip: input.actor.ip,
        userAgent: input.actor.userAgent,
        detail: { sessions: ended },
      });
      return { email: account.email };
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
