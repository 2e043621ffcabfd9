import type { AuditService } from '../audit/audit-service.js';
import type { Actor } from '../sessions/session-service.js';
import type { ResourceService } from '../resources/resource-service.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { operatorEvent } from './operator-event.js';
import type { ClaimScopeQueries, ClaimScopeRow } from './claim-scope-queries.js';
import type { AttributeQueries } from './attribute-queries.js';
import type { ClaimScopeDefinition } from './person-directory.js';
import {
  RESERVED_SCOPES,
  STANDARD_CLAIMS,
  checkDescription,
  checkName,
  isReleasableClaim,
  isUniqueViolation,
} from './directory-names.js';

export interface ClaimScope extends ClaimScopeDefinition {
  readonly createdAt: string;
}

const toScope = (row: ClaimScopeRow): ClaimScope => ({
  name: row.name,
  claims: row.claims.split(' ').filter(Boolean),
  description: row.description,
  createdAt: row.createdAt.toISOString(),
});

const invalid = (message: string) => new GatehouseError('ERR_SCOPE_INVALID', message);

export interface ClaimScopeServiceDeps {
  readonly queries: ClaimScopeQueries;
  readonly attributes: Pick<AttributeQueries, 'list'>;
  readonly resources: Pick<ResourceService, 'list'>;
  readonly audit: Pick<AuditService, 'record'>;
}

/**
 * Custom OpenID scopes, each releasing a list of claims (OIDC Core §5.4 does this for profile,
 * email, phone): declared attributes, standard claims we hold, `roles`, `groups`. A scope's name
 * is neither a standard scope nor `roles`/`groups` (those are ours), nor any API's scope: the
 * name alone would not say whether a request asks for access to an API or for claims.
 */
export function createClaimScopeService({ queries, attributes, resources, audit }: ClaimScopeServiceDeps) {
  return {
    async add(
      input: { name: string; claims: readonly string[]; description?: string },
      actor: Actor = { by: 'admin' },
    ): Promise<ClaimScope> {
      const name = checkName('scope', input.name, 'ERR_SCOPE_INVALID');
      if (RESERVED_SCOPES.has(name)) throw invalid(`scope ${name} is a standard scope of OpenID Connect or Gatehouse`);
      const description = checkDescription(input.description, 'ERR_SCOPE_INVALID');
      const claims = [...new Set(input.claims.map((claim) => claim.trim()).filter(Boolean))];
      if (claims.length === 0) throw invalid(`scope ${name} must release at least one claim (--claims)`);
      const declared = new Set((await attributes.list()).map((a) => a.name));
      const unknown = claims.find((claim) => !isReleasableClaim(claim, declared));
      if (unknown !== undefined)
        throw invalid(
          `claim ${unknown} is neither a declared attribute (gatehouse attribute list), a standard claim we hold, roles nor groups`,
        );
      const api = (await resources.list()).find((r) => r.scopes.includes(name));
      if (api)
        throw invalid(`scope ${name} is a scope of the API ${api.identifier}: give the claim scope another name`);

      const named = claims.filter((claim) => !STANDARD_CLAIMS.has(claim) && claim !== 'roles' && claim !== 'groups');
      let outcome;
      try {
        outcome = await queries.insert({ name, claims: claims.join(' '), description }, named);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        outcome = { inserted: false as const, taken: true as const };
      }
      if ('missing' in outcome) throw invalid(`claim ${outcome.missing} is no longer a declared attribute`);
      if (!outcome.inserted) throw new GatehouseError('ERR_SCOPE_EXISTS', `a scope named ${name} already exists`);
      await audit.record({
        type: 'admin.scope.added',
        ...operatorEvent(actor, { scope: name, claims }),
      });
      const row = (await queries.list()).find((r) => r.name === name);
      return row ? toScope(row) : { name, claims, description, createdAt: new Date(0).toISOString() };
    },

    async list(): Promise<ClaimScope[]> {
      return (await queries.list()).map(toScope);
    },

    /** Whether a custom scope has this name (the resource service refuses it as an API scope). */
    exists: (name: string) => queries.exists(name),

    /** Apps asking for it get its claims no more; grants naming it keep a scope that releases nothing. */
    async remove(name: string, actor: Actor = { by: 'admin' }): Promise<{ name: string }> {
      if (!(await queries.delete(name))) throw new GatehouseError('ERR_SCOPE_NOT_FOUND', `no scope named ${name}`);
      await audit.record({
        type: 'admin.scope.removed',
        ...operatorEvent(actor, { scope: name }),
      });
      return { name };
    },
  };
}

export type ClaimScopeService = ReturnType<typeof createClaimScopeService>;
