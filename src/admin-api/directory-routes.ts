import type { AttributeService } from '../directory/attribute-service.js';
import type { ClaimScopeService } from '../directory/claim-scope-service.js';
import type { GroupService } from '../directory/group-service.js';
import type { ProviderHost } from '../oidc/provider-host.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';
import { actorOf } from './client-routes.js';
import {
  AttributeListSchema,
  AttributeSchema,
  ClaimScopeListSchema,
  ClaimScopeSchema,
  GroupListSchema,
  GroupSchema,
  NameParams,
  NewAttributeBody,
  NewClaimScopeBody,
  NewGroupBody,
  RemovedSchema,
  attributeView,
  claimScopeView,
  groupView,
} from './directory-schemas.js';

export interface DirectoryRouteDeps {
  readonly groups: GroupService;
  readonly attributes: AttributeService;
  readonly claimScopes: ClaimScopeService;
  /** Rebuilt after a scope change, so this instance serves it at once (others within the refresh interval). */
  readonly providers: Pick<ProviderHost, 'refresh'>;
}

const idempotencyErrors = ['ERR_IDEMPOTENCY_KEY_REUSED', 'ERR_IDEMPOTENCY_IN_PROGRESS'] as const;

/**
 * `gatehouse group|attribute|scope …` over HTTP, through the same services as the CLI. These are
 * made and removed, never changed in place, so no route takes If-Match: there is no version to
 * lose an update of. Each create takes an Idempotency-Key.
 */
export function directoryRoutes({ groups, attributes, claimScopes, providers }: DirectoryRouteDeps): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/groups',
      operationId: 'listGroups',
      summary: 'List groups by name, with member counts',
      tag: 'groups',
      scope: 'admin:read',
      success: { status: 200, description: 'Every group', schema: GroupListSchema },
      errors: [],
      async handle() {
        return { body: { items: (await groups.list()).map(groupView) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/groups',
      operationId: 'createGroup',
      summary: 'Make a group (released in the groups claim; it permits nothing)',
      description: 'As `gatehouse group add`.',
      tag: 'groups',
      scope: 'admin:write',
      body: NewGroupBody,
      idempotent: true,
      success: { status: 201, description: 'The new group', schema: GroupSchema },
      errors: ['ERR_GROUP_INVALID', 'ERR_GROUP_EXISTS', ...idempotencyErrors],
      async handle({ body, caller }) {
        const group = await groups.add({ name: body.name, description: body.description }, actorOf(caller));
        return { body: groupView(group), location: `/groups/${encodeURIComponent(group.name)}` };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/groups/{name}',
      operationId: 'deleteGroup',
      summary: 'Remove a group and every membership of it',
      description: 'As `gatehouse group remove`.',
      tag: 'groups',
      scope: 'admin:write',
      params: NameParams,
      success: { status: 200, description: 'Removed', schema: RemovedSchema },
      errors: ['ERR_GROUP_NOT_FOUND'],
      async handle({ params, caller }) {
        return { body: { ...(await groups.remove(params.name, actorOf(caller))), removed: true } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/attributes',
      operationId: 'listAttributes',
      summary: 'List declared attributes by name',
      tag: 'attributes',
      scope: 'admin:read',
      success: { status: 200, description: 'Every declared attribute', schema: AttributeListSchema },
      errors: [],
      async handle() {
        return { body: { items: (await attributes.list()).map(attributeView) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/attributes',
      operationId: 'createAttribute',
      summary: 'Declare an attribute: its type, and optionally a pattern, an enumeration, whether people edit it',
      description:
        'As `gatehouse attribute add`. Every value written is then checked against the declaration (ERR_ATTRIBUTE_INVALID names the attribute).',
      tag: 'attributes',
      scope: 'admin:write',
      body: NewAttributeBody,
      idempotent: true,
      success: { status: 201, description: 'The declaration', schema: AttributeSchema },
      errors: ['ERR_ATTRIBUTE_INVALID', 'ERR_ATTRIBUTE_EXISTS', ...idempotencyErrors],
      async handle({ body, caller }) {
        const declared = await attributes.add(
          {
            name: body.name,
            type: body.type,
            pattern: body.pattern,
            allowed: body.enum?.map(String),
            selfEditable: body.self_editable,
            description: body.description,
          },
          actorOf(caller),
        );
        return { body: attributeView(declared), location: `/attributes/${encodeURIComponent(declared.name)}` };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/attributes/{name}',
      operationId: 'deleteAttribute',
      summary: 'Remove a declared attribute, every stored value of it, and it from every claim scope',
      description: 'As `gatehouse attribute remove`.',
      tag: 'attributes',
      scope: 'admin:write',
      params: NameParams,
      success: { status: 200, description: 'Removed', schema: RemovedSchema },
      errors: ['ERR_ATTRIBUTE_NOT_FOUND'],
      async handle({ params, caller }) {
        return { body: { ...(await attributes.remove(params.name, actorOf(caller))), removed: true } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/scopes',
      operationId: 'listClaimScopes',
      summary: 'List custom OpenID scopes and the claims each releases',
      tag: 'scopes',
      scope: 'admin:read',
      success: { status: 200, description: 'Every custom scope', schema: ClaimScopeListSchema },
      errors: [],
      async handle() {
        return { body: { items: (await claimScopes.list()).map(claimScopeView) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/scopes',
      operationId: 'createClaimScope',
      summary: 'Make a custom OpenID scope that releases claims (OIDC Core §5.4)',
      description:
        'As `gatehouse scope add`. Its name is no standard scope, roles, groups, nor any API’s scope; its claims are ' +
        'declared attributes, standard claims we hold, roles or groups. This instance serves it at once, others ' +
        'within their key-refresh interval.',
      tag: 'scopes',
      scope: 'admin:write',
      body: NewClaimScopeBody,
      idempotent: true,
      success: { status: 201, description: 'The new scope', schema: ClaimScopeSchema },
      errors: ['ERR_SCOPE_INVALID', 'ERR_SCOPE_EXISTS', ...idempotencyErrors],
      async handle({ body, caller }) {
        const made = await claimScopes.add(
          { name: body.name, claims: body.claims, description: body.description },
          actorOf(caller),
        );
        await providers.refresh();
        return { body: claimScopeView(made), location: `/scopes/${encodeURIComponent(made.name)}` };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/scopes/{name}',
      operationId: 'deleteClaimScope',
      summary: 'Remove a custom scope: apps asking for it get its claims no more',
      description: 'As `gatehouse scope remove`.',
      tag: 'scopes',
      scope: 'admin:write',
      params: NameParams,
      success: { status: 200, description: 'Removed', schema: RemovedSchema },
      errors: ['ERR_SCOPE_NOT_FOUND'],
      async handle({ params, caller }) {
        const removed = await claimScopes.remove(params.name, actorOf(caller));
        await providers.refresh();
        return { body: { ...removed, removed: true } };
      },
    }),
  ];
}
