import { randomUUID } from 'node:crypto';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { Clock } from '../kernel/clock.js';
import { seal, unseal } from '../keys/key-sealing.js';
import type { AuditService } from '../audit/audit-service.js';
import type { ConnectionQueries, ConnectionRow } from './connection-queries.js';

export const CONNECTION_TYPES = ['oidc', 'github'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

/** What each type asks for when --scope is not given: the ID token's email and name, or GitHub's. */
export const DEFAULT_SCOPES: Record<ConnectionType, string> = {
  oidc: 'openid email profile',
  github: 'read:user user:email',
};
export const GITHUB_COM = 'https://github.com';

/** A connection as the operator and the sign-in page see it: never its secret. */
export interface Connection {
  readonly id: string;
  readonly name: string;
  readonly type: ConnectionType;
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  readonly buttonLabel: string;
  readonly autoCreate: boolean;
  readonly domains: readonly string[];
  readonly trustUpstreamMfa: boolean;
  readonly mfaAcr: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ConnectionInput {
  readonly name: string;
  readonly type?: ConnectionType;
  readonly issuer?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  readonly buttonLabel?: string;
  readonly autoCreate?: boolean;
  readonly domains?: readonly string[];
  readonly trustUpstreamMfa?: boolean;
  readonly mfaAcr?: string | null;
}

export type ConnectionUpdate = Partial<Omit<ConnectionInput, 'name' | 'type'>>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const invalid = (message: string) => new GatehouseError('ERR_CONNECTION_INVALID', message);

/** The sealed secret is bound to the connection's row (additional data), as keys are to their kid. */
const sealId = (id: string) => `connection:${id}`;

/**
 * An issuer is compared byte for byte with the ID token's `iss` (OIDC Core §3.1.3.7 step 2), so it is
 * kept exactly as given, and must be https: the ID token's keys and the code travel over it
 * (loopback http aside, for development and tests).
 */
function checkIssuer(issuer: string): string {
  const url = URL.parse(issuer);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw invalid(`--issuer ${issuer} is not an http(s) URL`);
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname))
    throw invalid(`--issuer ${issuer} must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])`);
  if (url.search || url.hash) throw invalid(`--issuer ${issuer} must have no query or fragment (OIDC Discovery §2)`);
  return issuer;
}

function checkDomains(domains: readonly string[]): string {
  const clean = domains.map((d) => d.trim().toLowerCase()).filter(Boolean);
  for (const domain of clean)
    if (!DOMAIN.test(domain)) throw invalid(`--domains: "${domain}" is not a domain name (like example.com)`);
  return [...new Set(clean)].join(',');
}

function checkScope(type: ConnectionType, scope: string): string {
  const words = scope.split(/\s+/).filter(Boolean);
  if (type === 'oidc' && !words.includes('openid'))
    throw invalid('--scope must include openid: the sign-in is proven by the ID token (OIDC Core §3.1.2.1)');
  return words.join(' ');
}

export const domainsOf = (row: Pick<ConnectionRow, 'domains'>) => (row.domains ? row.domains.split(',') : []);

const toPublic = (row: ConnectionRow): Connection => ({
  id: row.id,
  name: row.name,
  type: row.type as ConnectionType,
  issuer: row.issuer,
  clientId: row.clientId,
  scope: row.scope,
  buttonLabel: row.buttonLabel,
  autoCreate: row.autoCreate,
  domains: domainsOf(row),
  trustUpstreamMfa: row.trustUpstreamMfa,
  mfaAcr: row.mfaAcr,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export interface ConnectionServiceDeps {
  readonly queries: ConnectionQueries;
  readonly audit: AuditService;
  readonly kek: Buffer;
  readonly clock: Clock;
}

/** Adds, changes and removes connections (the operator's CLI); every change audited. */
export function createConnectionService({ queries, audit, kek, clock }: ConnectionServiceDeps) {
  const mustFind = async (name: string) => {
    const row = await queries.findByName(name);
    if (!row) throw new GatehouseError('ERR_CONNECTION_NOT_FOUND', `no connection named "${name}"`);
    return row;
  };
  const audited = (type: 'added' | 'updated' | 'removed', row: ConnectionRow, detail: Record<string, unknown> = {}) =>
    audit.record({
      type: `admin.connection.${type}`,
      outcome: 'success',
      detail: { connection: row.name, connectionId: row.id, type: row.type, issuer: row.issuer, ...detail },
    });

  return {
    async add(input: ConnectionInput): Promise<Connection> {
      const name = input.name.trim();
      if (!name || name.length > 80) throw invalid('--name must be 1 to 80 characters');
      const type = input.type ?? 'oidc';
      if (!CONNECTION_TYPES.includes(type)) throw invalid(`--type must be one of ${CONNECTION_TYPES.join(', ')}`);
      if (type === 'oidc' && !input.issuer) throw invalid('--issuer is required for an OpenID Provider');
      if (!input.clientId.trim()) throw invalid('--client-id is required');
      if (!input.clientSecret) throw invalid('the client secret is empty');
      if (await queries.findByName(name))
        throw new GatehouseError('ERR_CONNECTION_EXISTS', `a connection named "${name}" already exists`);
      const id = randomUUID();
      const now = new Date(clock());
      const row: ConnectionRow = {
        id,
        name,
        type,
        issuer: checkIssuer(input.issuer ?? GITHUB_COM),
        clientId: input.clientId.trim(),
        clientSecretSealed: seal(kek, sealId(id), input.clientSecret),
        scope: checkScope(type, input.scope ?? DEFAULT_SCOPES[type]),
        buttonLabel: input.buttonLabel?.trim() || name,
        autoCreate: input.autoCreate ?? false,
        domains: checkDomains(input.domains ?? []),
        trustUpstreamMfa: input.trustUpstreamMfa ?? false,
        mfaAcr: input.mfaAcr ?? null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await queries.insert(row);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'P2002')
          throw new GatehouseError('ERR_CONNECTION_EXISTS', `a connection named "${name}" already exists`);
        throw error;
      }
      await audited('added', row);
      return toPublic(row);
    },

    async update(name: string, changes: ConnectionUpdate): Promise<Connection> {
      const row = await mustFind(name);
      const type = row.type as ConnectionType;
      const next = {
        ...(changes.issuer === undefined ? {} : { issuer: checkIssuer(changes.issuer) }),
        ...(changes.clientId === undefined ? {} : { clientId: changes.clientId.trim() }),
        ...(changes.clientSecret === undefined
          ? {}
          : { clientSecretSealed: seal(kek, sealId(row.id), changes.clientSecret) }),
        ...(changes.scope === undefined ? {} : { scope: checkScope(type, changes.scope) }),
        ...(changes.buttonLabel === undefined ? {} : { buttonLabel: changes.buttonLabel.trim() || row.name }),
        ...(changes.autoCreate === undefined ? {} : { autoCreate: changes.autoCreate }),
        ...(changes.domains === undefined ? {} : { domains: checkDomains(changes.domains) }),
        ...(changes.trustUpstreamMfa === undefined ? {} : { trustUpstreamMfa: changes.trustUpstreamMfa }),
        ...(changes.mfaAcr === undefined ? {} : { mfaAcr: changes.mfaAcr || null }),
      };
      if (Object.keys(next).length === 0) throw invalid('nothing to change');
      const updated = await queries.update(row.id, { ...next, updatedAt: new Date(clock()) });
      // The names of what changed, never the secret itself.
      await audited('updated', updated, { changed: Object.keys(changes) });
      return toPublic(updated);
    },

    async remove(name: string): Promise<{ name: string; identities: number }> {
      const row = await mustFind(name);
      const identities = await queries.remove(row.id);
      await audited('removed', row, { identitiesRemoved: identities });
      return { name: row.name, identities };
    },

    async list(): Promise<Connection[]> {
      return (await queries.list()).map(toPublic);
    },

    async find(id: string): Promise<Connection | undefined> {
      const row = await queries.findById(id);
      return row ? toPublic(row) : undefined;
    },

    /** The client secret, unsealed for the token request that needs it. */
    async secretOf(id: string): Promise<string> {
      const row = await queries.findById(id);
      if (!row) throw new GatehouseError('ERR_CONNECTION_NOT_FOUND', 'no such connection');
      return unseal(kek, sealId(id), row.clientSecretSealed);
    },

    /** The connection whose --domains include this address's domain (home-realm discovery), if one. */
    async forEmail(email: string): Promise<Connection | undefined> {
      const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
      if (!domain) return undefined;
      return (await queries.list()).map(toPublic).find((c) => c.domains.includes(domain));
    },
  };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
