import type { AccountRow } from '../accounts/account-queries.js';
import type { AccountService } from '../accounts/account-service.js';
import type { AccountAdminService } from '../account-lifecycle/account-admin-service.js';
import { normalizeEmail } from '../kernel/normalize-email.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';
import { entityTag } from './entity-tag.js';
import type { PageCursors } from './page-cursor.js';
import {
  CreatedUserSchema,
  NewUserBody,
  UserIdParams,
  UserListQuery,
  UserPageSchema,
  UserSchema,
  userView,
} from './user-schemas.js';

export interface UserRouteDeps {
  readonly accounts: AccountService;
  readonly accountAdmin: AccountAdminService;
  readonly cursors: PageCursors;
}

/** The account's ETag: its id and version (updatedAt). */
export const userTag = (row: AccountRow): string => entityTag(row.id, row.updatedAt);

/** The account, or 404. */
export async function requireUser(accounts: Pick<AccountService, 'findById'>, id: string): Promise<AccountRow> {
  const row = await accounts.findById(id);
  if (!row) throw new GatehouseError('ERR_ACCOUNT_NOT_FOUND', `no user with id ${id}`);
  return row;
}

/** Listing, reading and creating users; the changes to one are in user-change-routes.ts. */
export function userRoutes({ accounts, accountAdmin, cursors }: UserRouteDeps): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/users',
      operationId: 'listUsers',
      summary: 'List users, oldest first',
      tag: 'users',
      scope: 'admin:read',
      query: UserListQuery,
      success: { status: 200, description: 'A page of users', schema: UserPageSchema },
      errors: ['ERR_CURSOR_INVALID'],
      async handle({ query }) {
        const filter = {
          email: query.email === undefined ? undefined : normalizeEmail(query.email),
          emailPrefix: query.q === undefined ? undefined : normalizeEmail(query.q),
          disabled: query.status === undefined ? undefined : query.status === 'disabled',
        };
        // The cursor is bound to these filters: a cursor of another query is refused.
        const scope = `users:${JSON.stringify(filter)}`;
        const after = query.cursor ? cursors.open<[string, string]>(scope, query.cursor) : undefined;
        const rows = await accounts.page({
          ...filter,
          after: after && { createdAt: new Date(after[0]), id: after[1] },
          limit: query.limit + 1,
        });
        const items = rows.slice(0, query.limit);
        const last = items.at(-1);
        const more = rows.length > query.limit && last;
        return {
          body: {
            items: items.map(userView),
            next_cursor: more ? cursors.seal(scope, [last.createdAt.toISOString(), last.id]) : null,
          },
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/users/{id}',
      operationId: 'getUser',
      summary: 'Read one user',
      tag: 'users',
      scope: 'admin:read',
      params: UserIdParams,
      success: { status: 200, description: 'The user', schema: UserSchema, etag: true },
      errors: ['ERR_ACCOUNT_NOT_FOUND'],
      async handle({ params }) {
        const row = await requireUser(accounts, params.id);
        return { body: userView(row), etag: userTag(row) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/users',
      operationId: 'createUser',
      summary: 'Create a user',
      description:
        'As `gatehouse user add`. With mail on, an unverified address gets a confirmation link, and a user created ' +
        'without a password gets a password link.',
      tag: 'users',
      scope: 'admin:write',
      body: NewUserBody,
      idempotent: true,
      success: { status: 201, description: 'The new user', schema: CreatedUserSchema, etag: true },
      errors: [
        'ERR_EMAIL_INVALID',
        'ERR_EMAIL_TAKEN',
        'ERR_PASSWORD_POLICY',
        'ERR_IDEMPOTENCY_KEY_REUSED',
        'ERR_IDEMPOTENCY_IN_PROGRESS',
      ],
      async handle({ body, caller }) {
        const created = await accountAdmin.create(
          { email: body.email, password: body.password, name: body.name, emailVerified: body.email_verified },
          { by: 'admin', clientId: caller.clientId },
        );
        const row = await requireUser(accounts, created.account.id);
        return {
          body: {
            ...userView(row),
            verification_sent: created.verificationSent,
            password_link_sent: created.passwordLinkSent,
          },
          etag: userTag(row),
          location: `/users/${row.id}`,
        };
      },
    }),
  ];
}
