import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { envSchema } from './env-schema.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { Locale } from '../kernel/supported-locales.js';
import { brandColorsOf, type BrandColors } from './brand-colors.js';
import { brandLogoOf, type BrandLogo } from './brand-logo.js';
import { normalizeHexColor } from './contrast-ratio.js';

export type StoreKind = 'sqlite' | 'postgresql';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly issuer: string;
  /** ISSUER was set; otherwise `issuer` is only the default guessed from PORT and TLS. */
  readonly issuerGiven: boolean;
  readonly databaseUrl: string;
  readonly store: StoreKind;
  readonly trustProxy: boolean;
  /** Proxies that append to X-Forwarded-For (0 when none is trusted): the client is that many entries from the right. */
  readonly proxyHops: number;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly logLevel: string;
  /** Where Prometheus scrapes /metrics, when METRICS_PORT is set (a listener of its own). */
  readonly metrics?: { readonly port: number; readonly host: string };
  /** Key-encryption key for private key material at rest (32 bytes), when GATEHOUSE_KEK is set. */
  readonly kek?: Buffer;
  /** Absolute path of the generated key-encryption key used when GATEHOUSE_KEK is unset. */
  readonly kekFile: string;
  readonly sweepIntervalMs: number;
  readonly keyRefreshMs: number;
  /** How long the background-job lease lasts (src/background/leader-lease.ts). */
  readonly leaderLeaseMs: number;
  readonly refreshTokens: { readonly absoluteSeconds: number; readonly idleSeconds: number };
  readonly session: { readonly idleSeconds: number; readonly absoluteSeconds: number };
  readonly argon2: { readonly memoryKiB: number; readonly iterations: number; readonly parallelism: number };
  /** `threadNice`: the hashing threads' nice value (src/accounts/hash-thread-priority.ts); 0 leaves them be. */
  readonly hashing: { readonly concurrency: number; readonly queue: number; readonly threadNice: number };
  readonly outboundAllowPrivateNetworks: boolean;
  readonly productName: string;
  /** DEFAULT_LOCALE: the pages' language when the request names none we ship (src/i18n). */
  readonly defaultLocale: Locale;
  /** The operator's brand on every page (BRAND_*, SUPPORT_URL, PRIVACY_POLICY_URL, TERMS_URL), checked at start. */
  readonly brand: Brand;
  readonly mfa: { readonly policy: 'off' | 'adaptive' | 'always'; readonly rememberDeviceSeconds: number };
  readonly auditRetentionDays: number;
  /** The management API (src/admin-api): requests per minute per client. */
  readonly adminApi: { readonly rateLimitPerMinute: number };
  /** The admin console: a change needs a sign-in no older than this (ADMIN_SESSION_MAX_AGE_SECONDS). */
  readonly adminConsole: { readonly sessionMaxAgeSeconds: number };
  /** Outgoing mail; undefined when SMTP_URL is unset (the features that need mail are off). */
  readonly mail?: { readonly smtpUrl: string; readonly from: string };
  readonly outboxIntervalMs: number;
  readonly registration: { readonly mode: 'off' | 'open' | 'domain'; readonly domains: readonly string[] };
  /**
   * Clients that were not registered by the operator (src/clients/dynamic-client-policy.ts):
   * RFC 7591 registration (`registration`), client ID metadata documents (`metadataDocuments`,
   * fetched only from `metadataDocumentHosts` when that list is not empty), and how long such a
   * client may go without a token before the sweep removes it.
   */
  readonly dynamicClients: {
    readonly registration: 'off' | 'token' | 'open';
    readonly metadataDocuments: boolean;
    readonly metadataDocumentHosts: readonly string[];
    readonly idleDays: number;
  };
  /** The furthest ahead a client assertion's `exp` may lie. */
  readonly clientAssertionMaxLifetimeSeconds: number;
}

export interface Brand {
  readonly logo?: BrandLogo;
  readonly colors?: BrandColors;
  /** BRAND_CSS_FILE's text, appended to the brand's stylesheet. */
  readonly css?: string;
  readonly links: { readonly support?: string; readonly privacy?: string; readonly terms?: string };
}

/** Extra CSS is a theme, not a bundle: a bigger file is a mistake, and it is held in memory. */
const MAX_CSS_BYTES = 256 * 1024;

/** Thrown when the environment cannot be turned into a Config; the message says what to fix. */
export class ConfigError extends GatehouseError<'ERR_CONFIG'> {
  constructor(message: string) {
    super('ERR_CONFIG', message);
  }
}

export function storeOf(databaseUrl: string): StoreKind {
  return databaseUrl.startsWith('file:') ? 'sqlite' : 'postgresql';
}

/** The SQLite database file a `file:` URL names, as an absolute path. */
export function sqlitePath(databaseUrl: string): string {
  return resolve(databaseUrl.replace(/^file:/, '').replace(/\?.*$/, ''));
}

/**
 * Beside the SQLite file (one directory to back up and protect); PostgreSQL has no such place, so
 * ./data/gatehouse.kek, which every instance must share (GATEHOUSE_KEK is the production way).
 */
function defaultKekFile(databaseUrl: string): string {
  return storeOf(databaseUrl) === 'sqlite'
    ? join(dirname(sqlitePath(databaseUrl)), 'gatehouse.kek')
    : resolve('data/gatehouse.kek');
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(
      `${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
    );
  }
}

function readBrandFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(
      `${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}): give the path of a readable file`,
    );
  }
}

/** The brand settings, each file read and checked once: a logo, colour or stylesheet we would not show stops the start. */
function brandOf(e: ReturnType<typeof envSchema.parse>): Brand {
  let logo: BrandLogo | undefined;
  if (e.BRAND_LOGO_FILE) {
    const read = brandLogoOf(readBrandFile('BRAND_LOGO_FILE', e.BRAND_LOGO_FILE));
    if ('refusal' in read) throw new ConfigError(`BRAND_LOGO_FILE: ${e.BRAND_LOGO_FILE} ${read.refusal}`);
    logo = Object.freeze(read);
  }
  let colors: BrandColors | undefined;
  if (e.BRAND_PRIMARY_COLOR) {
    const made = brandColorsOf(normalizeHexColor(e.BRAND_PRIMARY_COLOR) as string);
    if ('refusal' in made) throw new ConfigError(`BRAND_PRIMARY_COLOR: ${made.refusal}`);
    colors = Object.freeze(made);
  }
  let css: string | undefined;
  if (e.BRAND_CSS_FILE) {
    const body = readBrandFile('BRAND_CSS_FILE', e.BRAND_CSS_FILE);
    if (body.length > MAX_CSS_BYTES)
      throw new ConfigError(
        `BRAND_CSS_FILE: ${e.BRAND_CSS_FILE} is ${body.length} bytes; at most ${MAX_CSS_BYTES} (256 KiB)`,
      );
    css = body.toString('utf8');
  }
  return Object.freeze({
    logo,
    colors,
    css,
    links: Object.freeze({ support: e.SUPPORT_URL, privacy: e.PRIVACY_POLICY_URL, terms: e.TERMS_URL }),
  });
}

/** Parses the environment once, at boot, into a typed and frozen Config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const tls =
    e.TLS_CERT && e.TLS_KEY ? { cert: readPem('TLS_CERT', e.TLS_CERT), key: readPem('TLS_KEY', e.TLS_KEY) } : undefined;
  const scheme = tls ? 'https' : 'http';
  const issuer = (e.ISSUER ?? `${scheme}://localhost:${e.PORT}`).replace(/\/$/, '');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    issuer,
    issuerGiven: e.ISSUER !== undefined,
    databaseUrl: e.DATABASE_URL,
    store: storeOf(e.DATABASE_URL),
    trustProxy: e.TRUST_PROXY,
    proxyHops: e.TRUST_PROXY ? (e.TRUST_PROXY_HOPS ?? 1) : 0,
    tls: tls && Object.freeze(tls),
    logLevel: e.LOG_LEVEL,
    // Loopback unless told otherwise: the series describe the whole service (traffic, failures,
    // queue lengths), which is for the operator's scraper, not for whoever can reach HOST.
    metrics:
      e.METRICS_PORT === undefined
        ? undefined
        : Object.freeze({ port: e.METRICS_PORT, host: e.METRICS_HOST ?? '127.0.0.1' }),
    kek: e.GATEHOUSE_KEK ? Buffer.from(e.GATEHOUSE_KEK, 'base64') : undefined,
    kekFile: e.GATEHOUSE_KEK_FILE ? resolve(e.GATEHOUSE_KEK_FILE) : defaultKekFile(e.DATABASE_URL),
    sweepIntervalMs: e.SWEEP_INTERVAL_SECONDS * 1000,
    keyRefreshMs: e.KEY_REFRESH_SECONDS * 1000,
    leaderLeaseMs: e.LEADER_LEASE_SECONDS * 1000,
    refreshTokens: Object.freeze({
      absoluteSeconds: e.REFRESH_TOKEN_ABSOLUTE_SECONDS,
      idleSeconds: e.REFRESH_TOKEN_IDLE_SECONDS,
    }),
    session: Object.freeze({ idleSeconds: e.SESSION_IDLE_SECONDS, absoluteSeconds: e.SESSION_ABSOLUTE_SECONDS }),
    argon2: Object.freeze({
      memoryKiB: e.ARGON2_MEMORY_KIB,
      iterations: e.ARGON2_ITERATIONS,
      parallelism: e.ARGON2_PARALLELISM,
    }),
    hashing: Object.freeze({ concurrency: e.HASH_CONCURRENCY, queue: e.HASH_QUEUE, threadNice: e.HASH_THREAD_NICE }),
    outboundAllowPrivateNetworks: e.OUTBOUND_ALLOW_PRIVATE_NETWORKS,
    productName: e.PRODUCT_NAME,
    defaultLocale: e.DEFAULT_LOCALE,
    brand: brandOf(e),
    mfa: Object.freeze({ policy: e.MFA_POLICY, rememberDeviceSeconds: e.MFA_REMEMBER_DEVICE_DAYS * 24 * 3600 }),
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    adminApi: Object.freeze({ rateLimitPerMinute: e.ADMIN_API_RATE_LIMIT }),
    adminConsole: Object.freeze({ sessionMaxAgeSeconds: e.ADMIN_SESSION_MAX_AGE_SECONDS }),
    clientAssertionMaxLifetimeSeconds: e.CLIENT_ASSERTION_MAX_LIFETIME_SECONDS,
    mail: e.SMTP_URL && e.MAIL_FROM ? Object.freeze({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM }) : undefined,
    outboxIntervalMs: e.OUTBOX_INTERVAL_SECONDS * 1000,
    dynamicClients: Object.freeze({
      registration: e.CLIENT_REGISTRATION,
      metadataDocuments: e.CLIENT_ID_METADATA_DOCUMENTS === 'on',
      metadataDocumentHosts: Object.freeze(e.CLIENT_ID_METADATA_DOCUMENT_HOSTS ?? []),
      idleDays: e.DYNAMIC_CLIENT_IDLE_DAYS,
    }),
    registration: Object.freeze({ mode: e.REGISTRATION, domains: Object.freeze(e.REGISTRATION_DOMAINS ?? []) }),
  });
}
