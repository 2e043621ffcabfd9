import { z } from 'zod';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { SessionService } from '../sessions/session-service.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';
import { requireUser, type UserRouteDeps } from './user-routes.js';

const SessionSchema = z
  .object({
    uid: z.string(),
    browser: z.string(),
    ip: z.string().nullable(),
    signed_in_at: z.string().nullable(),
    last_seen_at: z.string().nullable(),
    expires_at: z.string().nullable(),
  })
  .meta({ id: 'Session' });

const ConnectedAppSchema = z
  .object({ client_id: z.string(), client_name: z.string(), scopes: z.array(z.string()), connected_at: z.string() })
  .meta({ id: 'ConnectedApp' });

const SessionParams = z.strictObject({ id: z.string().min(1).max(100), uid: z.string().min(1).max(200) });
const AppParams = z.strictObject({ id: z.string().min(1).max(100), clientId: z.string().min(1).max(200) });
const UserIdParams = z.strictObject({ id: z.string().min(1).max(100) });

/** A user's sessions and connected apps, as the account console shows them, for an operator. */
export function userSessionRoutes({
  accounts,
  sessions,
}: Pick<UserRouteDeps, 'accounts'> & { sessions: SessionService }): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/users/{id}/sessions',
      operationId: 'listUserSessions',
      summary: "A user's signed-in browsers",
      tag: 'users',
      scope: 'admin:read',
      params: UserIdParams,
      success: { status: 200, description: 'Their sessions', schema: z.object({ items: z.array(SessionSchema) }) },
      errors: ['ERR_ACCOUNT_NOT_FOUND'],
      async handle({ params }) {
        const row = await requireUser(accounts, params.id);
        const items = (await sessions.listSessions(row.id)).map((s) => ({
          uid: s.uid,
          browser: s.browser,
          ip: s.ip,
          signed_in_at: s.signedInAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
        }));
        return { body: { items } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/users/{id}/sessions/{uid}',
      operationId: 'endUserSession',
      summary: 'End one session (its apps hear of it by back-channel logout)',
      tag: 'users',
      scope: 'admin:write',
      params: SessionParams,
      success: { status: 204, description: 'Ended' },
      errors: ['ERR_ACCOUNT_NOT_FOUND', 'ERR_SESSION_NOT_FOUND'],
      async handle({ params, caller }) {
        const row = await requireUser(accounts, params.id);
        await sessions.revokeSession(row.id, params.uid, { by: 'admin', clientId: caller.clientId });
        return {};
      },
    }),
    defineRoute({
      method: 'get',
      path: '/users/{id}/connected-apps',
      operationId: 'listUserConnectedApps',
      summary: 'The apps a user gave access to',
      tag: 'users',
      scope: 'admin:read',
      params: UserIdParams,
      success: { status: 200, description: 'Their apps', schema: z.object({ items: z.array(ConnectedAppSchema) }) },
      errors: ['ERR_ACCOUNT_NOT_FOUND'],
      async handle({ params }) {
        const row = await requireUser(accounts, params.id);
        const items = (await sessions.listGrants(row.id)).map((g) => ({
          client_id: g.clientId,
          client_name: g.clientName,
          scopes: g.scopes,
          connected_at: g.createdAt,
        }));
        return { body: { items } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/users/{id}/connected-apps/{clientId}',
      operationId: 'revokeUserConnectedApp',
      summary: "Revoke an app's access: every grant, code and token the user gave it",
      tag: 'users',
      scope: 'admin:write',
      params: AppParams,
      success: { status: 204, description: 'Revoked' },
      errors: ['ERR_ACCOUNT_NOT_FOUND', 'ERR_GRANT_NOT_FOUND'],
      async handle({ params, caller }) {
        const row = await requireUser(accounts, params.id);
        const grantId = await sessions.findGrantId(row.id, params.clientId);
        if (!grantId) throw new GatehouseError('ERR_GRANT_NOT_FOUND', 'this user has not connected that app');
        await sessions.revokeGrant(row.id, grantId, { by: 'admin', clientId: caller.clientId });
        return {};
      },
    }),
  ];
}
