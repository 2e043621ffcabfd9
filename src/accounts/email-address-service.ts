import { randomUUID } from 'node:crypto';
import type { AccountQueries } from './account-queries.js';
import { normalizeEmail } from '../kernel/normalize-email.js';
import { isValidEmail } from '../kernel/is-valid-email.js';
import { emailDomainAllowed } from './email-domain-allowed.js';
import { ThrottledError, type PasswordCheck } from './password-check.js';
import type { EmailTokens } from '../mail/email-tokens.js';
import type { EmailTokenQueries } from '../mail/email-token-queries.js';
import type { Outbox } from '../mail/outbox.js';
import { composeMail, mailLocale, type MailBrand } from '../mail/compose-mail.js';
import type { MessageKey } from '../i18n/message-catalogue.js';
import type { Locale } from '../kernel/supported-locales.js';
import type { AuditService } from '../audit/audit-service.js';
import type { KnownDevice } from '../throttle/device-cookies.js';
import type { EmailRequestThrottle } from '../throttle/email-request-throttle.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/** A verification or change link works this long, once. */
export const EMAIL_LINK_TTL_MS = 24 * 3600 * 1000;
export const VERIFY_PATH = '/email/verify';

export interface EmailActor {
  readonly ip: string;
  readonly userAgent?: string;
  readonly device?: KnownDevice;
  /** The language of the page the person acted from: mail is written in it. */
  readonly locale?: Locale;
}

export interface EmailAddressDeps {
  readonly accounts: AccountQueries;
  readonly tokens: EmailTokens;
  readonly tokenQueries: Pick<EmailTokenQueries, 'spendForEmail'>;
  readonly outbox: Outbox;
  readonly passwordCheck: PasswordCheck;
  readonly throttle: EmailRequestThrottle;
  readonly audit: AuditService;
  readonly brand: MailBrand;
  /** With REGISTRATION=domain, the domains a new address must be at (as for registering); empty: any. */
  readonly domains: readonly string[];
  readonly clock: Clock;
}

/**
 * Proving an address (OIDC Core §5.1 `email_verified` is the stored truth) and changing it: the new
 * address gets a link and the change happens only when it is used; the old address is told at once.
 */
export function createEmailAddressService(deps: EmailAddressDeps) {
  const { accounts, tokens, outbox, audit, brand, clock } = deps;
  const hours = EMAIL_LINK_TTL_MS / 3_600_000;
  const linkMail =
    (locale: Locale, to: string, kind: 'verify' | 'changeConfirm', values: Record<string, string>) => (url: string) =>
      composeMail(brand, locale, {
        to,
        subject: `mail.${kind}.subject` satisfies MessageKey,
        paragraphs: [`mail.${kind}.lead` satisfies MessageKey],
        link: { label: `mail.${kind}.button` satisfies MessageKey, url },
        after: ['mail.emailLink.expiry'],
        values: { ...values, hours },
      });

  return {
    /**
     * Mails a link that marks the account's address verified; nothing when it already is. Asked by
     * a person (`actor`), it is throttled like every request that sends mail (ASVS 4.0 §11.1.4),
     * on the budget the change of address uses: one count per request, made before the mail.
     */
    async sendVerification(accountId: string, actor?: EmailActor): Promise<boolean> {
      const account = await accounts.findById(accountId);
      if (!account || account.emailVerified || account.disabled) return false;
      if (actor) {
        const blocked = await deps.throttle.take(actor.ip, account.email);
        if (blocked > 0) throw new ThrottledError(blocked);
      }
      await tokens.issue(
        {
          id: randomUUID(),
          purpose: 'email_verification',
          accountId,
          email: account.email,
          ttlMs: EMAIL_LINK_TTL_MS,
          path: VERIFY_PATH,
        },
        linkMail(mailLocale(brand, actor?.locale, account.locale), account.email, 'verify', { email: account.email }),
      );
      await audit.record({
        type: 'email.verification_sent',
        outcome: 'success',
        accountId,
        email: account.email,
        ip: actor?.ip,
        userAgent: actor?.userAgent,
      });
      return true;
    },

    /**
     * A change of address, after the current password (throttled like sign-in; ASVS 4.0 §3.7.1).
     * The answer is the same whether another account has the new address (that owner gets a notice
     * instead of a link), so the console cannot be used to find accounts.
     */
    async requestChange(
      accountId: string,
      currentPassword: string,
      newEmail: string,
      actor: EmailActor,
    ): Promise<{ to: string }> {
      const to = normalizeEmail(newEmail);
      if (!isValidEmail(to)) throw new GatehouseError('ERR_EMAIL_INVALID', 'Enter a valid email address.');
      if (!emailDomainAllowed(to, deps.domains))
        throw new GatehouseError('ERR_EMAIL_DOMAIN', `Only an address at ${deps.domains.join(', ')} can be used.`);
      const confirmed = await deps.passwordCheck({
        purpose: 'reauth',
        accountId,
        password: currentPassword,
        ip: actor.ip,
        userAgent: actor.userAgent,
        device: actor.device,
        detail: { action: 'email_change' },
      });
      if (!confirmed.ok && confirmed.reason === 'throttled') throw new ThrottledError(confirmed.retryAfterSeconds);
      if (!confirmed.ok) throw new GatehouseError('ERR_PASSWORD_MISMATCH', 'the current password is not correct');
      const account = confirmed.account;
      if (to === account.email) throw new GatehouseError('ERR_EMAIL_UNCHANGED', 'That is already your address.');
      // The new address is not yet proven to be theirs: mail to it is budgeted like any other request.
      const blocked = await deps.throttle.take(actor.ip, to);
      if (blocked > 0) throw new ThrottledError(blocked);
      const owner = await accounts.findByEmail(to);
      const locale = mailLocale(brand, actor.locale, account.locale);
      if (owner) {
        // Its owner asked nothing from a page: their own stored language.
        await outbox.enqueue(
          'mail',
          composeMail(brand, mailLocale(brand, owner.locale), {
            to,
            subject: 'mail.changeTaken.subject',
            paragraphs: ['mail.changeTaken.lead', 'mail.changeTaken.hint'],
            values: { to },
          }),
        );
      } else {
        await tokens.issue(
          // Bound to the address it replaces: if that changes first, this link dies.
          {
            id: randomUUID(),
            purpose: 'email_change',
            accountId,
            email: to,
            binding: account.email,
            ttlMs: EMAIL_LINK_TTL_MS,
            path: VERIFY_PATH,
          },
          linkMail(locale, to, 'changeConfirm', { to, email: account.email }),
        );
      }
      await outbox.enqueue(
        'mail',
        composeMail(brand, locale, {
          to: account.email,
          subject: 'mail.changeRequested.subject',
          paragraphs: ['mail.changeRequested.lead', 'mail.changeRequested.notYou'],
          values: { email: account.email, to },
        }),
      );
      await audit.record({
        type: 'email.change_requested',
        outcome: 'success',
        accountId,
        email: account.email,
        ip: actor.ip,
        userAgent: actor.userAgent,
        detail: { to: owner ? '[in use]' : to },
      });
      return { to };
    },

    /** What a link would do, for its confirmation page (a GET changes nothing: mail scanners open links). */
    async open(token: string): Promise<{ kind: 'verify' | 'change'; email: string } | undefined> {
      const link =
        (await tokens.findLive('email_verification', token)) ?? (await tokens.findLive('email_change', token));
      if (!link?.accountId) return undefined;
      return { kind: link.purpose === 'email_change' ? 'change' : 'verify', email: link.email };
    },

    /** Uses a verification or change link: once, and only while the account still has the address the link was made for. */
    async confirm(token: string, actor: EmailActor): Promise<{ email: string; kind: 'verify' | 'change' }> {
      const link =
        (await tokens.findLive('email_verification', token)) ?? (await tokens.findLive('email_change', token));
      const account = link?.accountId ? await accounts.findById(link.accountId) : null;
      if (!link || !account || account.disabled)
        throw new GatehouseError('ERR_LINK_INVALID', 'This link has expired or was already used.');
      const kind = link.purpose === 'email_change' ? 'change' : 'verify';
      const expected = kind === 'verify' ? link.email : (link.binding ?? '');
      const outcome = await deps.tokenQueries.spendForEmail(
        link.id,
        new Date(clock()),
        account.id,
        expected,
        link.email,
      );
      if (outcome === 'taken')
        throw new GatehouseError('ERR_EMAIL_TAKEN', 'Another account has this address now, so it was not changed.');
      if (outcome === 'stale')
        throw new GatehouseError('ERR_LINK_INVALID', 'This link has expired or was already used.');
      if (kind === 'change') {
        // The old address hears of it after the fact too: if this was not its owner, that mail is
        // how they learn the account (and "forgot password") now answers to someone else.
        await outbox.enqueue(
          'mail',
          composeMail(brand, mailLocale(brand, actor.locale, account.locale), {
            to: account.email,
            subject: 'mail.changed.subject',
            paragraphs: ['mail.changed.lead', 'mail.changed.notYou'],
            values: { email: account.email, to: link.email },
          }),
        );
      }
      await audit.record({
        type: kind === 'change' ? 'email.changed' : 'email.verified',
        outcome: 'success',
        accountId: account.id,
        email: link.email,
        ip: actor.ip,
        userAgent: actor.userAgent,
        detail: kind === 'change' ? { from: account.email } : undefined,
      });
      return { email: link.email, kind };
    },
  };
}

export type EmailAddressService = ReturnType<typeof createEmailAddressService>;
