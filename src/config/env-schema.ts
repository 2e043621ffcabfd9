import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../kernel/supported-locales.js';

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

const databaseUrl = z.string().refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
  message: 'must be a SQLite URL (file:./data/gatehouse.db) or a PostgreSQL URL (postgresql://user@host/db)',
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://id.example.com' });

const kek = z.string().refine((value) => Buffer.from(value, 'base64').length === 32, {
  message: 'must be 32 random bytes in base64 (make one with `openssl rand -base64 32`)',
});

const seconds = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(min, `must be at least ${min} seconds`)
    .max(max, `must be at most ${max} seconds`);

const smtpUrl = z.url({
  protocol: /^smtps?$/,
  error: 'must be an SMTP URL such as smtp://user:pass@mail.example.com:587 or smtps://user:pass@mail.example.com:465',
});

// "no-reply@example.com" or "Example <no-reply@example.com>".
const mailFrom = z
  .string()
  .trim()
  .max(320)
  .refine((value) => /^(?:[^<>@\r\n]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/.test(value), {
    message: 'must be an address such as no-reply@example.com or "Example <no-reply@example.com>"',
  });

const domainList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean),
  )
  .refine((domains) => domains.every((d) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)), {
    message: 'must be domain names separated by commas, such as example.com,example.org',
  });

const hostList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((hosts) => hosts.every((h) => /^[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/.test(h)), {
    message: 'must be host names separated by commas, such as mcp.example.com,agents.example.org',
  });

// The brand's footer links: https, or http on this machine while trying things out.
const pageLink = z
  .url({ protocol: /^https?$/, error: 'must be an https URL such as https://example.com/help' })
  .refine(
    (value) =>
      new URL(value).protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(new URL(value).hostname),
    { message: 'must use https (plain http only for localhost, 127.0.0.1 and [::1])' },
  );

/** Every setting Gatehouse reads from the environment, with its default. */
export const envSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    ISSUER: httpUrl.optional(),
    DATABASE_URL: databaseUrl.default('file:./data/gatehouse.db'),
    TRUST_PROXY: flag.default(false),
    // Prometheus /metrics on a listener of its own, off unless set: never on the public port.
    METRICS_PORT: port.optional(),
    METRICS_HOST: z.string().min(1).optional(),
    // How many proxies of ours append to X-Forwarded-For: the client is the entry that many from the
    // right. Entries further left were written by the client and are never trusted.
    TRUST_PROXY_HOPS: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1 (the proxy in front of Gatehouse)')
      .max(10, 'must be at most 10')
      .optional(),
    TLS_CERT: z.string().min(1).optional(),
    TLS_KEY: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    GATEHOUSE_KEK: kek.optional(),
    // Where the generated key-encryption key lives when GATEHOUSE_KEK is unset (default: beside the
    // SQLite file, or ./data/gatehouse.kek on PostgreSQL).
    GATEHOUSE_KEK_FILE: z.string().min(1).optional(),
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(10, 'must be at least 10').default(300),
    // How long the instance running background jobs holds its lease: a crashed one is replaced within
    // this plus a third of it. It renews every third, and stops acting a third before the lease ends.
    LEADER_LEASE_SECONDS: seconds(3, 600).default(30),
    // How often an instance looks for keys rotated by another process (`gatehouse keys rotate`) and for
    // custom scopes added or removed (`gatehouse scope`): either rebuilds its provider.
    KEY_REFRESH_SECONDS: z.coerce
      .number()
      .int()
      .min(5, 'must be at least 5')
      .max(3600, 'must be at most 3600')
      .default(60),
    // RFC 9700 §4.14.2: refresh tokens rotate on use, die when unused this long, and a chain ends at a fixed age.
    REFRESH_TOKEN_ABSOLUTE_SECONDS: seconds(300, 365 * 24 * 3600).default(30 * 24 * 3600),
    REFRESH_TOKEN_IDLE_SECONDS: seconds(60, 365 * 24 * 3600).default(14 * 24 * 3600),
    // ASVS 4.0 §3.3: sessions end after a period of inactivity and at a fixed age, whatever happens.
    SESSION_IDLE_SECONDS: seconds(60, 24 * 3600).default(60 * 60),
    SESSION_ABSOLUTE_SECONDS: seconds(300, 30 * 24 * 3600).default(12 * 60 * 60),
    // RFC 7523 §3, RFC 9700 §2.7: a client assertion (private_key_jwt) is short-lived; a later `exp` is refused.
    CLIENT_ASSERTION_MAX_LIFETIME_SECONDS: seconds(30, 3600).default(300),
    // argon2id cost; OWASP's floor is m=19 MiB, t=2, p=1 and lower values are refused.
    ARGON2_MEMORY_KIB: z.coerce
      .number()
      .int()
      .min(19456, 'must be at least 19456 (19 MiB, OWASP minimum)')
      .max(4 * 1024 * 1024)
      .default(19456),
    ARGON2_ITERATIONS: z.coerce.number().int().min(2, 'must be at least 2 (OWASP minimum)').max(100).default(2),
    ARGON2_PARALLELISM: z.coerce.number().int().min(1).max(16).default(1),
    // Password hashes run at once and waiting; beyond both, sign-in answers 503 (memory stays bounded).
    // Let back-channel logout and jwks_uri fetches reach loopback and private addresses (SSRF guard off).
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: flag.default(false),
    // Default: one hash per core this process may run on, at most 4. argon2 is CPU-bound, so more at
    // once than cores only interleave (each takes longer), and each holds 19 MiB that glibc then
    // keeps (docs/benchmarks.md, "Memory"): a server pinned to one core hashes one at a time.
    HASH_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1, 'must be at least 1')
      .max(64)
      .default(() => Math.min(4, availableParallelism())),
    HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
    HASH_THREAD_NICE: z.coerce
      .number()
      .int()
      .min(0, 'must be 0 (off) to 19')
      .max(19, 'must be 0 (off) to 19')
      .default(10),
    // The name people see: authenticator apps label codes with it, and pages and mails use it.
    PRODUCT_NAME: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters')
      .default('Gatehouse'),
    // The pages' language when neither ui_locales, the person's pick nor Accept-Language names one we ship.
    DEFAULT_LOCALE: z
      .enum(SUPPORTED_LOCALES, { error: `must be one of the shipped languages: ${SUPPORTED_LOCALES.join(', ')}` })
      .default('en'),
    // The operator's brand on every page (read and checked at start by load-config.ts): a logo file
    // (SVG or PNG), the primary colour (its button text must reach WCAG AA), extra CSS, footer links.
    BRAND_LOGO_FILE: z.string().min(1).optional(),
    BRAND_PRIMARY_COLOR: z
      .string()
      .regex(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i, 'must be a hex colour such as #0a7d5a or #07c')
      .optional(),
    BRAND_CSS_FILE: z.string().min(1).optional(),
    SUPPORT_URL: pageLink.optional(),
    PRIVACY_POLICY_URL: pageLink.optional(),
    TERMS_URL: pageLink.optional(),
    // Who is asked for a second factor: see src/second-step/decide-second-step.ts. A client's own --mfa wins.
    MFA_POLICY: z.enum(['off', 'adaptive', 'always'], { error: 'must be off, adaptive or always' }).default('adaptive'),
    // How long "Remember this device" skips the second step in that browser.
    MFA_REMEMBER_DEVICE_DAYS: z.coerce
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(365, 'must be at most 365 days')
      .default(30),
    // Requests one management API client may make per minute (src/admin-api), counted on every instance.
    ADMIN_API_RATE_LIMIT: z.coerce
      .number({ error: 'must be a number of requests' })
      .int('must be a whole number of requests')
      .min(1, 'must be at least 1')
      .max(100_000, 'must be at most 100000')
      .default(600),
    // The admin console (/admin) takes changes only from a sign-in this recent; older ones sign in again.
    ADMIN_SESSION_MAX_AGE_SECONDS: seconds(60, 24 * 3600).default(900),
    // Audit events whose last occurrence is older than this are deleted.
    AUDIT_RETENTION_DAYS: z.coerce
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(3650, 'must be at most 3650 days (10 years)')
      .default(365),
    // Outgoing mail (password reset, email verification…); without SMTP_URL those features are off.
    SMTP_URL: smtpUrl.optional(),
    MAIL_FROM: mailFrom.optional(),
    // How often the server looks for mail and back-channel logout notices to deliver (and retries).
    OUTBOX_INTERVAL_SECONDS: z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1 second')
      .max(300, 'must be at most 300 seconds')
      .default(5),
    // Who may create their own account: nobody, anyone, or people with an address at REGISTRATION_DOMAINS.
    REGISTRATION: z.enum(['off', 'open', 'domain'], { error: 'must be off, open or domain' }).default('off'),
    REGISTRATION_DOMAINS: domainList.optional(),
    // Clients that register themselves (RFC 7591): nobody, holders of an initial access token, anyone.
    CLIENT_REGISTRATION: z.enum(['off', 'token', 'open'], { error: 'must be off, token or open' }).default('off'),
    // Clients whose client_id is the https URL of their metadata (OAuth Client ID Metadata Document).
    CLIENT_ID_METADATA_DOCUMENTS: z.enum(['off', 'on'], { error: 'must be off or on' }).default('off'),
    CLIENT_ID_METADATA_DOCUMENT_HOSTS: hostList.optional(),
    // A self-registered client that got no token for this long is removed by the background sweep.
    DYNAMIC_CLIENT_IDLE_DAYS: z.coerce
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(3650, 'must be at most 3650 days')
      .default(30),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_URL && !env.MAIL_FROM) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAIL_FROM'],
        message: 'is required with SMTP_URL: the sender address, such as "Example <no-reply@example.com>"',
      });
    }
    if (env.MAIL_FROM && !env.SMTP_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message:
          'is required with MAIL_FROM: the SMTP server to send through, such as smtp://user:pass@mail.example.com:587',
      });
    }
    if (env.REGISTRATION === 'domain' && !env.REGISTRATION_DOMAINS?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['REGISTRATION_DOMAINS'],
        message:
          'is required with REGISTRATION=domain: the domains people may register with, such as example.com,example.org',
      });
    }
    if (env.REGISTRATION_DOMAINS?.length && env.REGISTRATION !== 'domain') {
      ctx.addIssue({
        code: 'custom',
        path: ['REGISTRATION_DOMAINS'],
        message: 'only applies with REGISTRATION=domain',
      });
    }
    if (env.CLIENT_ID_METADATA_DOCUMENT_HOSTS?.length && env.CLIENT_ID_METADATA_DOCUMENTS !== 'on') {
      ctx.addIssue({
        code: 'custom',
        path: ['CLIENT_ID_METADATA_DOCUMENT_HOSTS'],
        message: 'only applies with CLIENT_ID_METADATA_DOCUMENTS=on: set it too, or unset the host list',
      });
    }
    if (env.REFRESH_TOKEN_IDLE_SECONDS > env.REFRESH_TOKEN_ABSOLUTE_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REFRESH_TOKEN_IDLE_SECONDS'],
        message: 'must not exceed REFRESH_TOKEN_ABSOLUTE_SECONDS',
      });
    }
    if (env.SESSION_IDLE_SECONDS > env.SESSION_ABSOLUTE_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_IDLE_SECONDS'],
        message: 'must not exceed SESSION_ABSOLUTE_SECONDS',
      });
    }
    if (env.TRUST_PROXY_HOPS !== undefined && !env.TRUST_PROXY) {
      ctx.addIssue({
        code: 'custom',
        path: ['TRUST_PROXY_HOPS'],
        message: 'only applies behind a proxy: set TRUST_PROXY=true too, or unset it',
      });
    }
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'must differ from PORT: metrics are served on a listener of their own',
      });
    }
    if (env.METRICS_HOST !== undefined && env.METRICS_PORT === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_HOST'],
        message: 'only applies with METRICS_PORT: set it too, or unset METRICS_HOST',
      });
    }
    if (Boolean(env.TLS_CERT) !== Boolean(env.TLS_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.TLS_CERT ? 'TLS_KEY' : 'TLS_CERT'],
        message: 'TLS_CERT and TLS_KEY must be set together',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;
