import { z } from 'zod';
import type { Actor } from '../sessions/session-service.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';
import { checkIfMatch } from './entity-tag.js';
import { requireUser, userTag, type UserRouteDeps } from './user-routes.js';
import { PasswordBody, UserChangesBody, UserIdParams, UserSchema, userView } from './user-schemas.js';

const SummarySchema = z
  .object({ user: UserSchema, sessions_ended: z.number().int(), grants_revoked: z.number().int().optional() })
  .meta({ id: 'UserActionResult' });

const actorOf = (clientId: string): Actor => ({ by: 'admin', clientId });

/**
 * Changes to one user, each the CLI's `user …` command through the same service call
 * (account-admin-service.ts). The update needs If-Match and is one conditional write; the actions
 * check If-Match when it is given.
 */
export function userChangeRoutes({
  accounts,
  accountAdmin,
}: Pick<UserRouteDeps, 'accounts' | 'accountAdmin'>): AnyApiRoute[] {
  /** The user after an action, with its new version. */
  const fresh = async (id: string) => {
    const row = await requireUser(accounts, id);
    return { view: userView(row), etag: userTag(row) };
  };

  const action = (
    path: string,
    operationId: string,
    summary: string,
    run: (email: string, actor: Actor) => Promise<{ sessions: number; grants?: number }>,
  ) =>
    defineRoute({
      method: 'post',
      path,
      operationId,
      summary,
      tag: 'users',
      scope: 'admin:write',
      params: UserIdParams,
      ifMatch: 'optional',
      success: { status: 200, description: 'Done', schema: SummarySchema, etag: true },
      errors: ['ERR_ACCOUNT_NOT_FOUND', 'ERR_PRECONDITION_FAILED'],
      async handle({ params, ifMatch, caller }) {
        const row = await requireUser(accounts, params.id);
        checkIfMatch(ifMatch, userTag(row), false);
        const done = await run(row.email, actorOf(caller.clientId));
        const { view, etag } = await fresh(row.id);
        return {
          body: {
            user: view,
            sessions_ended: done.sessions,
            ...(done.grants !== undefined ? { grants_revoked: done.grants } : {}),
          },
          etag,
        };
      },
    });

  return [
    defineRoute({
      method: 'patch',
      path: '/users/{id}',
      operationId: 'updateUser',
      summary: "Change a user's name, email or email_verified",
      description: 'Needs If-Match with the ETag read: 428 without it, 412 when someone changed the user since.',
      tag: 'users',
      scope: 'admin:write',
      params: UserIdParams,
      body: UserChangesBody,
      ifMatch: 'required',
      success: { status: 200, description: 'The user as changed', schema: UserSchema, etag: true },
      errors: [
        'ERR_ACCOUNT_NOT_FOUND',
        'ERR_EMAIL_INVALID',
        'ERR_EMAIL_TAKEN',
        'ERR_PRECONDITION_FAILED',
        'ERR_PRECONDITION_REQUIRED',
      ],
      async handle({ params, body, ifMatch, caller }) {
        const row = await requireUser(accounts, params.id);
        checkIfMatch(ifMatch, userTag(row), true);
        // The write happens only while the row is still at the version whose tag matched.
        await accountAdmin.update(
          row.email,
          { name: body.name, email: body.email, emailVerified: body.email_verified },
          actorOf(caller.clientId),
          row.updatedAt,
        );
        const { view, etag } = await fresh(row.id);
        return { body: view, etag };
      },
    }),

    defineRoute({
      method: 'put',
      path: '/users/{id}/password',
      operationId: 'setUserPassword',
      summary: "Set a user's password; ends their sessions and refresh tokens",
      tag: 'users',
      scope: 'admin:write',
      params: UserIdParams,
      body: PasswordBody,
      ifMatch: 'optional',
      success: { status: 200, description: 'Done', schema: SummarySchema, etag: true },
      errors: ['ERR_ACCOUNT_NOT_FOUND', 'ERR_PASSWORD_POLICY', 'ERR_PRECONDITION_FAILED'],
      async handle({ params, body, ifMatch, caller }) {
        const row = await requireUser(accounts, params.id);
        checkIfMatch(ifMatch, userTag(row), false);
        const done = await accountAdmin.setPassword(row.email, body.password, actorOf(caller.clientId));
        const { view, etag } = await fresh(row.id);
        return { body: { user: view, sessions_ended: done.sessions }, etag };
      },
    }),

    action(
      '/users/{id}/disable',
      'disableUser',
      'Block a user: ends their sessions, revokes their grants and tokens',
      (email, actor) => accountAdmin.disable(email, actor),
    ),
    action('/users/{id}/enable', 'enableUser', 'Let a disabled user sign in again', async (email, actor) => {
      await accountAdmin.enable(email, actor);
      return { sessions: 0 };
    }),
    action(
      '/users/{id}/mfa/reset',
      'resetUserMfa',
      "Remove a user's authenticator app, passkeys and recovery codes",
      (email, actor) => accountAdmin.resetMfa(email, actor),
    ),

    defineRoute({
      method: 'delete',
      path: '/users/{id}',
      operationId: 'deleteUser',
      summary: 'Delete a user and their personal data (as `gatehouse user delete`)',
      tag: 'users',
      scope: 'admin:write',
      params: UserIdParams,
      ifMatch: 'optional',
      success: { status: 204, description: 'Deleted' },
      errors: ['ERR_ACCOUNT_NOT_FOUND', 'ERR_PRECONDITION_FAILED'],
      async handle({ params, ifMatch, caller }) {
        const row = await requireUser(accounts, params.id);
        checkIfMatch(ifMatch, userTag(row), false);
        await accountAdmin.remove(row.email, actorOf(caller.clientId));
        return {};
      },
    }),
  ];
}
