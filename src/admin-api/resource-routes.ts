import type { ResourceService } from '../resources/resource-service.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';
import { actorOf } from './client-routes.js';
import { checkIfMatch, entityTag } from './entity-tag.js';
import type { PageCursors } from './page-cursor.js';
import {
  CreatedResourceSchema,
  NewResourceBody,
  RemovedResourceSchema,
  ResourceChangesBody,
  ResourceListQuery,
  ResourcePageSchema,
  ResourceParams,
  ResourceSchema,
  resourceView,
} from './resource-schemas.js';

export interface ResourceRouteDeps {
  readonly resources: ResourceService;
  readonly cursors: PageCursors;
  /** The management API's own identifier: shown as built_in. */
  readonly managementApi: string;
}

const resourceTag = (identifier: string, version: string): string => entityTag(identifier, version);

/** `gatehouse resource …` over HTTP, through the same ResourceService as the CLI. */
export function resourceRoutes({ resources, cursors, managementApi }: ResourceRouteDeps): AnyApiRoute[] {
  /** The current version, after checking If-Match against it (the service then writes only on it). */
  const versionMatching = async (identifier: string, ifMatch: string | undefined, required: boolean) => {
    const { version } = await resources.read(identifier);
    checkIfMatch(ifMatch, resourceTag(identifier, version), required);
    return version;
  };

  return [
    defineRoute({
      method: 'get',
      path: '/resources',
      operationId: 'listResources',
      summary: 'List APIs, oldest first (never their secrets)',
      tag: 'resources',
      scope: 'admin:read',
      query: ResourceListQuery,
      success: { status: 200, description: 'A page of APIs', schema: ResourcePageSchema },
      errors: ['ERR_CURSOR_INVALID'],
      async handle({ query }) {
        const scope = 'resources';
        const after = query.cursor ? cursors.open<[string, string]>(scope, query.cursor) : undefined;
        const rows = await resources.page(
          after && { createdAt: new Date(after[0]), identifier: after[1] },
          query.limit + 1,
        );
        const items = rows.slice(0, query.limit);
        const last = items.at(-1);
        const more = rows.length > query.limit && last;
        return {
          body: {
            items: items.map((r) => resourceView(r, managementApi)),
            next_cursor: more ? cursors.seal(scope, [last.createdAt, last.identifier]) : null,
          },
        };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/resources',
      operationId: 'createResource',
      summary: "Register an API and its own client (the client's secret is in this answer only)",
      description:
        'As `gatehouse resource add`. No client may ask tokens for it until granted (PUT /clients/{id}/grants/{resource}).',
      tag: 'resources',
      scope: 'admin:write',
      body: NewResourceBody,
      idempotent: true,
      success: {
        status: 201,
        description: 'The new API and its introspection credentials',
        schema: CreatedResourceSchema,
        etag: true,
      },
      errors: [
        'ERR_RESOURCE_INVALID',
        'ERR_RESOURCE_EXISTS',
        'ERR_IDEMPOTENCY_KEY_REUSED',
        'ERR_IDEMPOTENCY_IN_PROGRESS',
      ],
      async handle({ body, caller }) {
        const created = await resources.add(
          {
            identifier: body.identifier,
            scope: body.scopes.join(' '),
            tokenFormat: body.token_format,
            accessTokenTtl: body.access_token_ttl,
            rbac: body.rbac,
            tokenClaims: body.token_claims,
            dynamicClients: body.dynamic_clients,
            dynamicScopes: body.dynamic_scopes?.join(' '),
            name: body.name,
            scopeDescriptions: body.scope_descriptions,
          },
          { actor: actorOf(caller) },
        );
        const { resource, version } = await resources.read(created.identifier);
        return {
          body: { ...resourceView(resource, managementApi), client_secret: created.client_secret },
          etag: resourceTag(resource.identifier, version),
          location: `/resources/${encodeURIComponent(resource.identifier)}`,
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/resources/{identifier}',
      operationId: 'getResource',
      summary: 'Read one API',
      tag: 'resources',
      scope: 'admin:read',
      params: ResourceParams,
      success: { status: 200, description: 'The API', schema: ResourceSchema, etag: true },
      errors: ['ERR_RESOURCE_NOT_FOUND'],
      async handle({ params }) {
        const { resource, version } = await resources.read(params.identifier);
        return { body: resourceView(resource, managementApi), etag: resourceTag(params.identifier, version) };
      },
    }),

    defineRoute({
      method: 'patch',
      path: '/resources/{identifier}',
      operationId: 'updateResource',
      summary: "Change an API's scopes, token format, token lifetime, RBAC, token claims, name or scope descriptions",
      description:
        'As `gatehouse resource update`. Clients granted a scope that is gone stop getting it in new tokens. ' +
        "The management API's scopes and token format are fixed (409 ERR_RESOURCE_BUILT_IN); its ttl may change.",
      tag: 'resources',
      scope: 'admin:write',
      params: ResourceParams,
      body: ResourceChangesBody,
      ifMatch: 'required',
      success: { status: 200, description: 'The API as changed', schema: ResourceSchema, etag: true },
      errors: [
        'ERR_RESOURCE_NOT_FOUND',
        'ERR_RESOURCE_INVALID',
        'ERR_RESOURCE_BUILT_IN',
        'ERR_PRECONDITION_FAILED',
        'ERR_PRECONDITION_REQUIRED',
      ],
      async handle({ params, body, caller, ifMatch }) {
        const ifVersion = await versionMatching(params.identifier, ifMatch, true);
        await resources.update(
          params.identifier,
          {
            scope: body.scopes?.join(' '),
            tokenFormat: body.token_format,
            accessTokenTtl: body.access_token_ttl,
            rbac: body.rbac,
            tokenClaims: body.token_claims,
            dynamicClients: body.dynamic_clients,
            dynamicScopes: body.dynamic_scopes?.join(' '),
            name: body.name,
            scopeDescriptions: body.scope_descriptions,
          },
          { actor: actorOf(caller), ifVersion },
        );
        const { resource, version } = await resources.read(params.identifier);
        return { body: resourceView(resource, managementApi), etag: resourceTag(params.identifier, version) };
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/resources/{identifier}',
      operationId: 'deleteResource',
      summary: 'Remove an API, its own client and every client’s grant for it',
      description:
        'As `gatehouse resource remove`. Tokens already issued for it stay valid until they expire. ' +
        'The management API cannot be removed (409 ERR_RESOURCE_BUILT_IN).',
      tag: 'resources',
      scope: 'admin:write',
      params: ResourceParams,
      ifMatch: 'optional',
      success: { status: 200, description: 'Removed', schema: RemovedResourceSchema },
      errors: ['ERR_RESOURCE_NOT_FOUND', 'ERR_RESOURCE_BUILT_IN', 'ERR_PRECONDITION_FAILED'],
      async handle({ params, caller, ifMatch }) {
        const ifVersion = ifMatch ? await versionMatching(params.identifier, ifMatch, false) : undefined;
        const removed = await resources.remove(params.identifier, { actor: actorOf(caller), ifVersion });
        return { body: { ...removed, removed: true } };
      },
    }),
  ];
}
