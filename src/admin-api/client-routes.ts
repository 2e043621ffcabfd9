import type { ClientService } from '../clients/client-service.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';
import type { Caller } from './bearer-auth.js';
import { checkIfMatch, entityTag } from './entity-tag.js';
import type { PageCursors } from './page-cursor.js';
import {
  ClientChangesBody,
  ClientGrantParams,
  ClientIdParams,
  ClientListQuery,
  ClientPageSchema,
  ClientSchema,
  ClientSecretSchema,
  CreatedClientSchema,
  GrantBody,
  GrantSchema,
  NewClientBody,
  RemovedClientSchema,
  clientView,
} from './client-schemas.js';

export interface ClientRouteDeps {
  readonly clients: ClientService;
  readonly cursors: PageCursors;
}

/** The management API's caller, as the actor of an admin change (audited with its client id). */
export const actorOf = (caller: Caller) => ({ by: 'admin' as const, clientId: caller.clientId });

/** A client's ETag: its id and version (a hash of its stored metadata, client-service.ts). */
const clientTag = (id: string, version: string): string => entityTag(id, version);

/**
 * The client's current version, after checking If-Match against it: the change is then made only
 * if the client still has that version (a compare-and-set in the service), so of two admins who
 * read the same version and write, exactly one wins and the other gets 412.
 */
async function versionMatching(
  clients: ClientService,
  id: string,
  ifMatch: string | undefined,
  required: boolean,
): Promise<string> {
  const { version } = await clients.read(id);
  checkIfMatch(ifMatch, clientTag(id, version), required);
  return version;
}

/** `gatehouse client …` over HTTP: every route goes through the same ClientService as the CLI. */
export function clientRoutes({ clients, cursors }: ClientRouteDeps): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/clients',
      operationId: 'listClients',
      summary: 'List clients, oldest first',
      description: 'As `gatehouse client list`, a page at a time. Resource servers’ own clients are listed too.',
      tag: 'clients',
      scope: 'admin:read',
      query: ClientListQuery,
      success: { status: 200, description: 'A page of clients', schema: ClientPageSchema },
      errors: ['ERR_CURSOR_INVALID'],
      async handle({ query }) {
        const scope = 'clients';
        const after = query.cursor ? cursors.open<[string, string]>(scope, query.cursor) : undefined;
        const rows = await clients.page(after && { createdAt: new Date(after[0]), id: after[1] }, query.limit + 1);
        const items = rows.slice(0, query.limit);
        const last = items.at(-1);
        const more = rows.length > query.limit && last?.created_at;
        return {
          body: {
            items: items.map(clientView),
            next_cursor: more ? cursors.seal(scope, [last.created_at, last.client_id]) : null,
          },
        };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/clients',
      operationId: 'createClient',
      summary: 'Register a client (its secret is in this answer only)',
      description:
        'As `gatehouse client add`. A retry with the same Idempotency-Key answers the first answer again, ' +
        'secret included, so a lost answer never leaves a client nobody has the secret of.',
      tag: 'clients',
      scope: 'admin:write',
      body: NewClientBody,
      idempotent: true,
      success: { status: 201, description: 'The new client and its secret', schema: CreatedClientSchema, etag: true },
      errors: [
        'ERR_CLIENT_INVALID',
        'ERR_CLIENT_GRANT_REFUSED',
        'ERR_IDEMPOTENCY_KEY_REUSED',
        'ERR_IDEMPOTENCY_IN_PROGRESS',
      ],
      async handle({ body, caller }) {
        const created = await clients.add(
          {
            name: body.client_name,
            redirectUris: body.redirect_uris,
            postLogoutRedirectUris: body.post_logout_redirect_uris,
            grantTypes: body.grant_types,
            responseTypes: body.response_types,
            authMethod: body.token_endpoint_auth_method,
            jwksUri: body.jwks_uri,
            backchannelLogoutUri: body.backchannel_logout_uri,
            applicationType: body.application_type,
            idTokenAlg: body.id_token_signed_response_alg,
            firstParty: body.first_party,
            mfaPolicy: body.mfa_policy,
            resources: body.resources,
            allowedOrigins: body.allowed_origins,
            pkce: body.pkce,
            links: {
              logo_uri: body.logo_uri,
              policy_uri: body.policy_uri,
              tos_uri: body.tos_uri,
              client_uri: body.client_uri,
            },
          },
          { actor: actorOf(caller) },
        );
        const { client, version } = await clients.read(created.client_id);
        return {
          body: {
            ...clientView(client),
            ...(created.client_secret ? { client_secret: created.client_secret } : {}),
          },
          etag: clientTag(client.client_id, version),
          location: `/clients/${encodeURIComponent(client.client_id)}`,
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/clients/{id}',
      operationId: 'getClient',
      summary: 'Read one client (never its secret)',
      tag: 'clients',
      scope: 'admin:read',
      params: ClientIdParams,
      success: { status: 200, description: 'The client', schema: ClientSchema, etag: true },
      errors: ['ERR_CLIENT_NOT_FOUND'],
      async handle({ params }) {
        const { client, version } = await clients.read(params.id);
        return { body: clientView(client), etag: clientTag(params.id, version) };
      },
    }),

    defineRoute({
      method: 'patch',
      path: '/clients/{id}',
      operationId: 'updateClient',
      summary: "Change a client's settings; its id and secret stay",
      description:
        'As `gatehouse client update`: only what is given changes, a list given replaces the whole list, and ' +
        "`resources` replaces the client's API grants (each with all its scopes).",
      tag: 'clients',
      scope: 'admin:write',
      params: ClientIdParams,
      body: ClientChangesBody,
      ifMatch: 'required',
      success: { status: 200, description: 'The client as changed', schema: ClientSchema, etag: true },
      errors: [
        'ERR_CLIENT_NOT_FOUND',
        'ERR_CLIENT_INVALID',
        'ERR_CLIENT_GRANT_REFUSED',
        'ERR_PRECONDITION_FAILED',
        'ERR_PRECONDITION_REQUIRED',
      ],
      async handle({ params, body, caller, ifMatch }) {
        const ifVersion = await versionMatching(clients, params.id, ifMatch, true);
        const { client, version } = await clients.update(
          params.id,
          {
            name: body.client_name,
            redirectUris: body.redirect_uris,
            postLogoutRedirectUris: body.post_logout_redirect_uris,
            grantTypes: body.grant_types,
            responseTypes: body.response_types,
            resources: body.resources,
            allowedOrigins: body.allowed_origins,
            pkce: body.pkce,
            mfaPolicy: body.mfa_policy,
            firstParty: body.first_party,
            links: {
              logo_uri: body.logo_uri,
              policy_uri: body.policy_uri,
              tos_uri: body.tos_uri,
              client_uri: body.client_uri,
            },
          },
          { actor: actorOf(caller), ifVersion },
        );
        return { body: clientView(client), etag: clientTag(params.id, version) };
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/clients/{id}',
      operationId: 'deleteClient',
      summary: 'Remove a client and revoke its grants, codes and tokens',
      description: 'As `gatehouse client remove`: introspection says active: false for its tokens from now on.',
      tag: 'clients',
      scope: 'admin:write',
      params: ClientIdParams,
      ifMatch: 'optional',
      success: { status: 200, description: 'Removed', schema: RemovedClientSchema },
      errors: ['ERR_CLIENT_NOT_FOUND', 'ERR_PRECONDITION_FAILED'],
      async handle({ params, caller, ifMatch }) {
        const ifVersion = ifMatch ? await versionMatching(clients, params.id, ifMatch, false) : undefined;
        const { revoked } = await clients.remove(params.id, { actor: actorOf(caller), ifVersion });
        return { body: { client_id: params.id, removed: true, revoked } };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/clients/{id}/secret',
      operationId: 'rotateClientSecret',
      summary: 'Give a client a new secret (in this answer only); the old one stops working at once',
      tag: 'clients',
      scope: 'admin:write',
      params: ClientIdParams,
      ifMatch: 'optional',
      success: { status: 200, description: 'The new secret', schema: ClientSecretSchema, etag: true },
      errors: ['ERR_CLIENT_NOT_FOUND', 'ERR_CLIENT_INVALID', 'ERR_PRECONDITION_FAILED'],
      async handle({ params, caller, ifMatch }) {
        const ifVersion = ifMatch ? await versionMatching(clients, params.id, ifMatch, false) : undefined;
        const rotated = await clients.rotateSecret(params.id, { actor: actorOf(caller), ifVersion });
        return {
          body: { client_id: rotated.client_id, client_secret: rotated.client_secret },
          etag: clientTag(params.id, rotated.version),
        };
      },
    }),

    defineRoute({
      method: 'put',
      path: '/clients/{id}/grants/{resource}',
      operationId: 'grantClientResource',
      summary: 'Let a client ask tokens for an API, with all or some of its scopes',
      description:
        'As `gatehouse client grant`: replaces what the client had for that API. Tokens already issued keep ' +
        'their scopes until they expire.',
      tag: 'clients',
      scope: 'admin:write',
      params: ClientGrantParams,
      body: GrantBody,
      ifMatch: 'optional',
      success: { status: 200, description: 'What the client may now ask for', schema: GrantSchema, etag: true },
      errors: ['ERR_CLIENT_NOT_FOUND', 'ERR_CLIENT_INVALID', 'ERR_CLIENT_GRANT_REFUSED', 'ERR_PRECONDITION_FAILED'],
      async handle({ params, body, caller, ifMatch }) {
        const ifVersion = ifMatch ? await versionMatching(clients, params.id, ifMatch, false) : undefined;
        const granted = await clients.grant(params.id, params.resource, body.scopes?.join(' '), {
          actor: actorOf(caller),
          ifVersion,
        });
        return {
          body: { client_id: granted.client_id, resource: granted.resource, scopes: granted.scopes },
          etag: clientTag(params.id, granted.version),
        };
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/clients/{id}/grants/{resource}',
      operationId: 'revokeClientResource',
      summary: 'Stop a client asking tokens for an API',
      description:
        'As `gatehouse client revoke-grant`: new tokens and refreshes for it are refused (invalid_target); ' +
        'access tokens already issued stay valid until they expire.',
      tag: 'clients',
      scope: 'admin:write',
      params: ClientGrantParams,
      ifMatch: 'optional',
      success: { status: 204, description: 'The grant is gone' },
      errors: ['ERR_CLIENT_NOT_FOUND', 'ERR_CLIENT_GRANT_NOT_FOUND', 'ERR_PRECONDITION_FAILED'],
      async handle({ params, caller, ifMatch }) {
        const ifVersion = ifMatch ? await versionMatching(clients, params.id, ifMatch, false) : undefined;
        const { version } = await clients.revokeGrant(params.id, params.resource, {
          actor: actorOf(caller),
          ifVersion,
        });
        return { etag: clientTag(params.id, version) };
      },
    }),
  ];
}
