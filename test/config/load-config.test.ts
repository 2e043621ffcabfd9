import { loadConfig } from '../../src/config/load-config.js';

describe('configuration', () => {
  it('works with no variables at all: port 3000, local issuer, SQLite under ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      issuer: 'http://localhost:3000',
      databaseUrl: 'file:./data/gatehouse.db',
      store: 'sqlite',
      trustProxy: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('derives the issuer from the port and selects PostgreSQL from the URL', () => {
    expect(loadConfig({ PORT: '4000' }).issuer).toBe('http://localhost:4000');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db/gatehouse' }).store).toBe('postgresql');
    expect(loadConfig({ ISSUER: 'https://id.example.com/', TRUST_PROXY: 'true' })).toMatchObject({
      issuer: 'https://id.example.com',
      trustProxy: true,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: must be a number/],
    [{ PORT: '70000' }, /PORT: must be between 1 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be a SQLite URL/],
    [{ ISSUER: 'ftp://x' }, /ISSUER: must be an http\(s\) URL/],
    [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY: must be true or false/],
    [{ TLS_CERT: '/etc/cert.pem' }, /TLS_KEY: TLS_CERT and TLS_KEY must be set together/],
    [{ GATEHOUSE_KEK: 'c2hvcnQ=' }, /GATEHOUSE_KEK: must be 32 random bytes/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ARGON2_MEMORY_KIB: '1024' }, /ARGON2_MEMORY_KIB: must be at least 19456/],
    [{ ARGON2_ITERATIONS: '1' }, /ARGON2_ITERATIONS: must be at least 2/],
    [{ HASH_THREAD_NICE: '20' }, /HASH_THREAD_NICE: must be 0 \(off\) to 19/],
    [{ TRUST_PROXY_HOPS: '2' }, /TRUST_PROXY_HOPS: only applies behind a proxy: set TRUST_PROXY=true/],
    [{ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '0' }, /TRUST_PROXY_HOPS: must be at least 1/],
    [{ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '11' }, /TRUST_PROXY_HOPS: must be at most 10/],
    [{ AUDIT_RETENTION_DAYS: '0' }, /AUDIT_RETENTION_DAYS: must be at least 1 day/],
    [{ AUDIT_RETENTION_DAYS: 'forever' }, /AUDIT_RETENTION_DAYS: must be a number of days/],
    [
      { SESSION_IDLE_SECONDS: '7200', SESSION_ABSOLUTE_SECONDS: '3600' },
      /SESSION_IDLE_SECONDS: must not exceed SESSION_ABSOLUTE_SECONDS/,
    ],
    [
      { SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'a@example.com' },
      /SMTP_URL: must be an SMTP URL such as smtp:\/\/user:pass@/,
    ],
    [{ SMTP_URL: 'smtp://mail.example.com:587' }, /MAIL_FROM: is required with SMTP_URL/],
    [{ MAIL_FROM: 'a@example.com' }, /SMTP_URL: is required with MAIL_FROM/],
    [
      { SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'nobody' },
      /MAIL_FROM: must be an address such as no-reply@example.com/,
    ],
    [{ OUTBOX_INTERVAL_SECONDS: '0' }, /OUTBOX_INTERVAL_SECONDS: must be at least 1 second/],
    [{ REGISTRATION: 'maybe' }, /REGISTRATION: must be off, open or domain/],
    [{ REGISTRATION: 'domain' }, /REGISTRATION_DOMAINS: is required with REGISTRATION=domain/],
    [
      { REGISTRATION: 'open', REGISTRATION_DOMAINS: 'example.com' },
      /REGISTRATION_DOMAINS: only applies with REGISTRATION=domain/,
    ],
    [
      { REGISTRATION: 'domain', REGISTRATION_DOMAINS: 'example.com,not a domain' },
      /REGISTRATION_DOMAINS: must be domain names separated by commas/,
    ],
    [{ CLIENT_REGISTRATION: 'yes' }, /CLIENT_REGISTRATION: must be off, token or open/],
    [{ CLIENT_ID_METADATA_DOCUMENTS: 'true' }, /CLIENT_ID_METADATA_DOCUMENTS: must be off or on/],
    [
      { CLIENT_ID_METADATA_DOCUMENT_HOSTS: 'agents.example' },
      /CLIENT_ID_METADATA_DOCUMENT_HOSTS: only applies with CLIENT_ID_METADATA_DOCUMENTS=on/,
    ],
    [
      { CLIENT_ID_METADATA_DOCUMENTS: 'on', CLIENT_ID_METADATA_DOCUMENT_HOSTS: 'https://agents.example/' },
      /CLIENT_ID_METADATA_DOCUMENT_HOSTS: must be host names separated by commas/,
    ],
    [{ DYNAMIC_CLIENT_IDLE_DAYS: '0' }, /DYNAMIC_CLIENT_IDLE_DAYS: must be at least 1 day/],
  ])('stops at boot on %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lets refresh tokens idle 14 days within a 30-day chain by default, both configurable', () => {
    expect(loadConfig({}).refreshTokens).toEqual({ absoluteSeconds: 30 * 24 * 3600, idleSeconds: 14 * 24 * 3600 });
    expect(
      loadConfig({ REFRESH_TOKEN_ABSOLUTE_SECONDS: '86400', REFRESH_TOKEN_IDLE_SECONDS: '3600' }).refreshTokens,
    ).toEqual({ absoluteSeconds: 86400, idleSeconds: 3600 });
    expect(() => loadConfig({ REFRESH_TOKEN_ABSOLUTE_SECONDS: '3600', REFRESH_TOKEN_IDLE_SECONDS: '7200' })).toThrow(
      /REFRESH_TOKEN_IDLE_SECONDS: must not exceed REFRESH_TOKEN_ABSOLUTE_SECONDS/,
    );
    expect(() => loadConfig({ REFRESH_TOKEN_IDLE_SECONDS: '10' })).toThrow(
      /REFRESH_TOKEN_IDLE_SECONDS: must be at least 60 seconds/,
    );
  });

  it('trusts one proxy hop of X-Forwarded-For behind TRUST_PROXY unless told more, and none without it', () => {
    expect(loadConfig({}).proxyHops).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'true' }).proxyHops).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' }).proxyHops).toBe(2);
  });

  it('has mail off and registration off by default; SMTP_URL with MAIL_FROM turns mail on', () => {
    expect(loadConfig({})).toMatchObject({
      mail: undefined,
      registration: { mode: 'off', domains: [] },
      outboxIntervalMs: 5000,
    });
    expect(
      loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', MAIL_FROM: 'Example <no-reply@example.com>' }).mail,
    ).toEqual({ smtpUrl: 'smtps://u:p@mail.example.com:465', from: 'Example <no-reply@example.com>' });
    expect(
      loadConfig({ REGISTRATION: 'domain', REGISTRATION_DOMAINS: 'Example.com, @example.org' }).registration,
    ).toEqual({ mode: 'domain', domains: ['example.com', 'example.org'] });
  });

  it('lets no app register itself nor use a metadata document unless told, and forgets idle ones after 30 days', () => {
    expect(loadConfig({}).dynamicClients).toEqual({
      registration: 'off',
      metadataDocuments: false,
      metadataDocumentHosts: [],
      idleDays: 30,
    });
    expect(
      loadConfig({
        CLIENT_REGISTRATION: 'token',
        CLIENT_ID_METADATA_DOCUMENTS: 'on',
        CLIENT_ID_METADATA_DOCUMENT_HOSTS: 'Agents.example, mcp.example:8443',
        DYNAMIC_CLIENT_IDLE_DAYS: '7',
      }).dynamicClients,
    ).toEqual({
      registration: 'token',
      metadataDocuments: true,
      metadataDocumentHosts: ['agents.example', 'mcp.example:8443'],
      idleDays: 7,
    });
  });

  it('writes pages in English unless DEFAULT_LOCALE names another shipped language, and says which ones are', () => {
    expect(loadConfig({}).defaultLocale).toBe('en');
    expect(loadConfig({ DEFAULT_LOCALE: 'pt-BR' }).defaultLocale).toBe('pt-BR');
    expect(() => loadConfig({ DEFAULT_LOCALE: 'it' })).toThrow(
      'DEFAULT_LOCALE: must be one of the shipped languages: en, de, fr, es, pt-BR, ja, zh-Hans',
    );
  });

  it('keeps audit events 365 days unless told otherwise', () => {
    expect(loadConfig({}).auditRetentionDays).toBe(365);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '90' }).auditRetentionDays).toBe(90);
  });

  it('lets client assertions live at most 5 minutes by default (RFC 7523 §3), configurable between 30 s and 1 h', () => {
    expect(loadConfig({}).clientAssertionMaxLifetimeSeconds).toBe(300);
    expect(loadConfig({ CLIENT_ASSERTION_MAX_LIFETIME_SECONDS: '60' }).clientAssertionMaxLifetimeSeconds).toBe(60);
    expect(() => loadConfig({ CLIENT_ASSERTION_MAX_LIFETIME_SECONDS: '10' })).toThrow(
      /CLIENT_ASSERTION_MAX_LIFETIME_SECONDS: must be at least 30 seconds/,
    );
    expect(() => loadConfig({ CLIENT_ASSERTION_MAX_LIFETIME_SECONDS: '86400' })).toThrow(
      /CLIENT_ASSERTION_MAX_LIFETIME_SECONDS: must be at most 3600 seconds/,
    );
  });

  it('takes admin console changes from a sign-in at most 15 minutes old by default, configurable between 1 min and 1 day', () => {
    expect(loadConfig({}).adminConsole.sessionMaxAgeSeconds).toBe(900);
    expect(loadConfig({ ADMIN_SESSION_MAX_AGE_SECONDS: '300' }).adminConsole.sessionMaxAgeSeconds).toBe(300);
    expect(() => loadConfig({ ADMIN_SESSION_MAX_AGE_SECONDS: '10' })).toThrow(
      /ADMIN_SESSION_MAX_AGE_SECONDS: must be at least 60 seconds/,
    );
    expect(() => loadConfig({ ADMIN_SESSION_MAX_AGE_SECONDS: 'soon' })).toThrow(
      /ADMIN_SESSION_MAX_AGE_SECONDS: must be a number of seconds/,
    );
  });

  it('serves metrics only when METRICS_PORT is set, on a port of its own (never the public one)', () => {
    expect(loadConfig({}).metrics).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({
      port: 9464,
      host: '10.0.0.5',
    });
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(() => loadConfig({ METRICS_HOST: '127.0.0.1' })).toThrow(/METRICS_HOST: only applies with METRICS_PORT/);
  });

  it('holds the background-job lease 30 s by default, between 3 s and 10 min', () => {
    expect(loadConfig({}).leaderLeaseMs).toBe(30_000);
    expect(() => loadConfig({ LEADER_LEASE_SECONDS: '1' })).toThrow(/LEADER_LEASE_SECONDS: must be at least 3 seconds/);
    expect(() => loadConfig({ LEADER_LEASE_SECONDS: '3600' })).toThrow(
      /LEADER_LEASE_SECONDS: must be at most 600 seconds/,
    );
  });

  it('says which TLS file it cannot read', () => {
    expect(() => loadConfig({ TLS_CERT: '/nonexistent/cert.pem', TLS_KEY: '/nonexistent/key.pem' })).toThrow(
      /TLS_CERT: cannot read \/nonexistent\/cert.pem \(ENOENT\)/,
    );
  });
});
