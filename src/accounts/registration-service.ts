import { randomUUID } from 'node:crypto';
import type { AccountQueries } from './account-queries.js';
import type { PasswordHasher } from './password-hasher.js';
import type { ConcurrencyGate } from './concurrency-gate.js';
import { normalizeEmail } from '../kernel/normalize-email.js';
import { isValidEmail } from '../kernel/is-valid-email.js';
import { emailDomainAllowed } from './email-domain-allowed.js';
import { checkPasswordPolicy } from './password-policy.js';
import type { EmailTokens } from '../mail/email-tokens.js';
import type { EmailTokenQueries } from '../mail/email-token-queries.js';
import type { Outbox } from '../mail/outbox.js';
import type { OutboxRow } from '../mail/outbox-queries.js';
import { composeMail, mailLocale, type MailBrand } from '../mail/compose-mail.js';
import type { Locale } from '../kernel/supported-locales.js';
import { seal, unseal } from '../keys/key-sealing.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EmailRequestThrottle } from '../throttle/email-request-throttle.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { waitInWords } from '../kernel/wait-in-words.js';

export const REGISTRATION_LINK_TTL_MS = 24 * 3600 * 1000;
export const REGISTRATION_PATH = '/register/confirm';

export type RegistrationMode = 'off' | 'open' | 'domain';

interface RegistrationRequest {
  readonly email: string;
  readonly name: string | null;
  readonly passwordHash: string;
  readonly ip: string;
  readonly userAgent?: string;
  /** The language of the page it was asked from: the mail is written in it. */
  readonly locale?: Locale;
}

export interface RegistrationDeps {
  readonly mode: RegistrationMode;
  readonly domains: readonly string[];
  readonly accounts: AccountQueries;
  readonly hasher: PasswordHasher;
  readonly gate: ConcurrencyGate;
  readonly tokens: EmailTokens;
  readonly tokenQueries: Pick<EmailTokenQueries, 'spendForRegistration' | 'findById'>;
  readonly outbox: Outbox;
  readonly throttle: EmailRequestThrottle;
  readonly audit: AuditService;
  readonly brand: MailBrand;
  /** The name and password hash wait in the link's row sealed with the key store's KEK. */
  readonly kek: Buffer;
  readonly clock: Clock;
}

/**
 * Self-registration (REGISTRATION=open|domain). The account exists only once its address is proven
 * by the link. The form's answer is the same whether the address has an account or not: the request
 * is counted, its password hashed and queued in every case, and the server decides later whether
 * to mail a link or tell the owner that someone tried (no enumeration; ASVS 4.0 §2.2, OWASP).
 */
export function createRegistrationService(deps: RegistrationDeps) {
  const { accounts, tokens, outbox, audit, brand, clock, kek } = deps;
  const aad = (id: string) => `registration:${id}`;

  return {
    enabled: deps.mode !== 'off',

    /** Validates what can be told without looking anything up, then queues the request. */
    async register(input: {
      email: string;
      name?: string;
      password: string;
      ip: string;
      userAgent?: string;
      /** The page's language, for the mail. */
      locale?: Locale;
    }): Promise<void> {
      const email = normalizeEmail(input.email);
      if (!isValidEmail(email)) throw new GatehouseError('ERR_EMAIL_INVALID', 'Enter a valid email address.');
      if (deps.mode === 'domain' && !emailDomainAllowed(email, deps.domains)) {
        throw new GatehouseError(
          'ERR_EMAIL_DOMAIN',
          `Accounts can be created only with an address at ${deps.domains.join(', ')}.`,
        );
      }
      const problem = checkPasswordPolicy(input.password);
      if (problem) throw new GatehouseError('ERR_PASSWORD_POLICY', problem);
      const blocked = await deps.throttle.take(input.ip, email);
      if (blocked > 0) {
        await audit.record({
          type: 'registration.requested',
          outcome: 'blocked',
          reason: 'too_many_requests',
          email,
          ip: input.ip,
          userAgent: input.userAgent,
        });
        throw new GatehouseError('ERR_THROTTLED', `Too many requests. Try again in ${waitInWords(blocked)}.`, {
          retryAfterSeconds: blocked,
        });
      }
      const passwordHash = await deps.gate(() => deps.hasher.hash(input.password));
      await outbox.enqueue('registration_request', {
        email,
        name: input.name?.trim().slice(0, 200) || null,
        passwordHash,
        ip: input.ip,
        userAgent: input.userAgent,
        locale: input.locale,
      } satisfies RegistrationRequest);
    },

    /** Run by the outbox: a link for a new address, a notice for one that has an account. */
    async resolveRequest(payload: unknown, row: OutboxRow): Promise<'sent' | 'dropped'> {
      const request = payload as RegistrationRequest;
      const context = { email: request.email, ip: request.ip, userAgent: request.userAgent };
      const owner = await accounts.findByEmail(request.email);
      if (owner) {
        await outbox.enqueue(
          'mail',
          composeMail(brand, mailLocale(brand, request.locale, owner.locale), {
            to: request.email,
            subject: 'mail.registerTaken.subject',
            paragraphs: ['mail.registerTaken.lead', 'mail.registerTaken.hint'],
            values: { email: request.email },
          }),
        );
        await audit.record({
          type: 'registration.requested',
          outcome: 'failure',
          reason: 'email_taken',
          accountId: owner.id,
          ...context,
        });
        return 'sent';
      }
      const data = seal(kek, aad(row.id), JSON.stringify({ name: request.name, passwordHash: request.passwordHash }));
      await tokens.issue(
        {
          id: row.id,
          purpose: 'registration',
          accountId: null,
          email: request.email,
          data,
          ttlMs: REGISTRATION_LINK_TTL_MS,
          path: REGISTRATION_PATH,
        },
        (url) =>
          composeMail(brand, mailLocale(brand, request.locale), {
            to: request.email,
            subject: 'mail.register.subject',
            paragraphs: ['mail.register.lead'],
            link: { label: 'mail.register.button', url },
            after: ['mail.register.expiry'],
            values: { email: request.email, hours: REGISTRATION_LINK_TTL_MS / 3_600_000 },
          }),
      );
      await audit.record({ type: 'registration.requested', outcome: 'success', ...context });
      return 'sent';
    },

    async open(token: string): Promise<{ email: string } | undefined> {
      const link = await tokens.findLive('registration', token);
      return link && { email: link.email };
    },

    /** Creates the account, verified, once; a second use or an address taken meanwhile creates nothing. */
    async confirm(token: string, actor: { ip: string; userAgent?: string }): Promise<{ email: string }> {
      const link = await tokens.findLive('registration', token);
      if (!link?.data) throw new GatehouseError('ERR_LINK_INVALID', 'This link has expired or was already used.');
      const { name, passwordHash } = JSON.parse(unseal(kek, aad(link.id), link.data)) as {
        name: string | null;
        passwordHash: string;
      };
      const id = randomUUID();
      const outcome = await deps.tokenQueries.spendForRegistration(link.id, new Date(clock()), {
        id,
        email: link.email,
        name,
        passwordHash,
      });
      if (outcome === 'stale')
        throw new GatehouseError('ERR_LINK_INVALID', 'This link has expired or was already used.');
      if (outcome === 'taken')
        throw new GatehouseError('ERR_EMAIL_TAKEN', 'An account with this address exists already: sign in with it.');
      await audit.record({
        type: 'registration.completed',
        outcome: 'success',
        accountId: id,
        email: link.email,
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
      return { email: link.email };
    },
  };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
