import type { OidcRecordQueries } from '../db/oidc-record-queries.js';
import type { SessionActivityQueries } from './session-activity-queries.js';
import type { AuditService } from '../audit/audit-service.js';
import { describeBrowser } from './describe-browser.js';
import type { EndedSession, SessionEnded } from './backchannel-notifier.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { operatorDetail } from './operator-actor.js';

export interface SessionView {
  readonly uid: string;
  readonly browser: string;
  readonly ip: string | null;
  readonly signedInAt: string | null;
  readonly lastSeenAt: string | null;
  readonly expiresAt: string | null;
  readonly current: boolean;
}

export interface GrantView {
  readonly grantId: string;
  readonly clientId: string;
  readonly clientName: string;
  /** Every scope granted, OpenID Connect's and the APIs' together. */
  readonly scopes: string[];
  /** The OpenID Connect scopes granted (openid, email, profile…). */
  readonly openidScopes: string[];
  /** The scopes granted on each API (RFC 8707), by its identifier. */
  readonly resourceScopes: Record<string, string[]>;
  readonly createdAt: string;
}

/** Who asked for a revocation, for the audit trail. */
export interface Actor {
  readonly by: 'user' | 'admin' | 'system';
  /** An admin acting through the management API: the client whose token made the call. */
  readonly clientId?: string;
  /** An administrator acting in the admin console (/admin): their own account. */
  readonly admin?: { readonly accountId: string; readonly email: string };
  readonly ip?: string;
  readonly userAgent?: string;
}

/** The operator behind an admin's revocation: the API client, or the administrator in the console. */
const byWhom = (actor: Actor): Record<string, unknown> =>
  actor.by !== 'admin' ? {} : actor.clientId ? { byClient: actor.clientId } : actor.admin ? operatorDetail(actor) : {};

interface StoredSession {
  uid?: string;
  accountId?: string;
  loginTs?: number;
}
interface StoredGrant {
  clientId?: string;
  accountId?: string;
  openid?: { scope?: string };
  resources?: Record<string, string>;
}

/**
 * Server-side sessions and grants as a person (or an operator) sees them. Ending a session makes
 * the tokens bound to it inactive (oidc-provider checks the session of `expiresWithSession`
 * tokens); removing a grant deletes it with every code and token issued under it.
 * `onSessionEnded` gets each ended session's stored payload (back-channel logout, its grants).
 */
export function createSessionService(
  records: OidcRecordQueries,
  activity: SessionActivityQueries,
  audit: AuditService,
  clock: Clock,
  onSessionEnded: SessionEnded = async () => {},
) {
  const now = () => new Date(clock());

  const sessionsOf = async (accountId: string) =>
    (await records.listLiveByAccount('Session', accountId, now()))
      .map((row) => ({ row, payload: JSON.parse(row.payload) as StoredSession }))
      .filter(({ payload }) => payload.accountId === accountId && payload.uid);

  const grantsOf = async (accountId: string) =>
    (await records.listLiveByAccount('Grant', accountId, now()))
      .map((row) => ({ row, payload: JSON.parse(row.payload) as StoredGrant }))
      .filter(({ payload }) => payload.accountId === accountId);

  const endSession = async (accountId: string, uid: string, actor: Actor) => {
    const stored = await records.findLiveBy('Session', 'uid', uid, now());
    await records.destroyByUid('Session', uid);
    if (stored) await onSessionEnded(JSON.parse(stored.payload) as EndedSession);
    await activity.remove(uid);
    await audit.record({
      type: actor.by === 'admin' ? 'admin.session.revoked' : 'session.revoked',
      outcome: 'success',
      accountId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      detail: { sessionUid: uid, by: actor.by, ...byWhom(actor) },
    });
  };

  const removeGrant = async (accountId: string, grantId: string, clientId: string | undefined, actor: Actor) => {
    await records.destroyGrant(grantId);
    await audit.record({
      type: 'grant.revoked',
      outcome: 'success',
      accountId,
      clientId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      detail: { grantId, by: actor.by, ...byWhom(actor) },
    });
  };

  return {
    /**
     * The account's signed-in sessions. A session is noted as active only once its sign-in has
     * finished (src/http/session-activity.ts): one whose second step is pending, or was given up,
     * holds the account but is not signed in, and is not listed (it is still ended with the others).
     */
    async listSessions(accountId: string, currentUid?: string): Promise<SessionView[]> {
      const seen = new Map((await activity.listByAccount(accountId)).map((a) => [a.sessionUid, a]));
      return (await sessionsOf(accountId)).flatMap(({ row, payload }) => {
        const uid = payload.uid as string;
        const a = seen.get(uid);
        if (!a) return [];
        return [
          {
            uid,
            browser: describeBrowser(a.userAgent),
            ip: a.ip,
            signedInAt: payload.loginTs ? new Date(payload.loginTs * 1000).toISOString() : null,
            lastSeenAt: a.lastSeenAt.toISOString(),
            expiresAt: row.expiresAt?.toISOString() ?? null,
            current: uid === currentUid,
          },
        ];
      });
    },

    async revokeSession(accountId: string, uid: string, actor: Actor): Promise<void> {
      if (!(await sessionsOf(accountId)).some(({ payload }) => payload.uid === uid)) {
        throw new GatehouseError('ERR_SESSION_NOT_FOUND', 'no such session for this account');
      }
      await endSession(accountId, uid, actor);
    },

    /** Ends the session with this uid, whoever it belongs to (operators); returns 1 or 0. */
    async revokeSessionByUid(uid: string, actor: Actor): Promise<number> {
      const found = await records.findLiveBy('Session', 'uid', uid, now());
      if (!found) throw new GatehouseError('ERR_SESSION_NOT_FOUND', `no active session with id ${uid}`);
      const { accountId } = JSON.parse(found.payload) as StoredSession;
      await endSession(accountId ?? '', uid, actor);
      return 1;
    },

    /** Ends every session of the account except `keepUid`; returns how many ended. */
    async revokeSessions(accountId: string, actor: Actor, keepUid?: string): Promise<number> {
      const ending = (await sessionsOf(accountId))
        .map(({ payload }) => payload.uid as string)
        .filter((uid) => uid !== keepUid);
      for (const uid of ending) await endSession(accountId, uid, actor);
      return ending.length;
    },

    /**
     * One entry per connected app: each session has a grant of its own (load-existing-grant.ts), so
     * an app's entry names its newest grant, every scope its grants hold, and when it was first connected.
     */
    async listGrants(accountId: string): Promise<GrantView[]> {
      const views = new Map<string, GrantView>();
      for (const { row, payload } of await grantsOf(accountId)) {
        const clientId = payload.clientId ?? '';
        const words = (value: string | undefined) => (value ?? '').split(' ').filter(Boolean);
        const openidScopes = words(payload.openid?.scope);
        const resourceScopes = Object.fromEntries(
          Object.entries(payload.resources ?? {}).map(([resource, scope]) => [resource, words(scope)]),
        );
        const scopes = [...openidScopes, ...Object.values(resourceScopes).flat()];
        const seen = views.get(clientId);
        if (seen) {
          // Grants come newest first: this one is older.
          const mergedResources = { ...seen.resourceScopes };
          for (const [resource, list] of Object.entries(resourceScopes))
            mergedResources[resource] = [...new Set([...(mergedResources[resource] ?? []), ...list])];
          views.set(clientId, {
            ...seen,
            scopes: [...new Set([...seen.scopes, ...scopes])],
            openidScopes: [...new Set([...seen.openidScopes, ...openidScopes])],
            resourceScopes: mergedResources,
            createdAt: row.createdAt.toISOString(),
          });
          continue;
        }
        const client = await records.findLive('Client', clientId, now());
        const name = client ? (JSON.parse(client.payload) as { client_name?: string }).client_name : undefined;
        views.set(clientId, {
          grantId: row.id,
          clientId,
          clientName: name ?? clientId,
          scopes: [...new Set(scopes)],
          openidScopes: [...new Set(openidScopes)],
          resourceScopes,
          createdAt: row.createdAt.toISOString(),
        });
      }
      return [...views.values()];
    },

    /** Removes the app this grant belongs to: every grant the account gave that client, in any session. */
    async revokeGrant(accountId: string, grantId: string, actor: Actor): Promise<void> {
      const grants = await grantsOf(accountId);
      const found = grants.find(({ row }) => row.id === grantId);
      if (!found) throw new GatehouseError('ERR_GRANT_NOT_FOUND', 'no such connected app for this account');
      for (const { row, payload } of grants) {
        if (payload.clientId === found.payload.clientId) await removeGrant(accountId, row.id, payload.clientId, actor);
      }
    },

    async revokeGrants(accountId: string, actor: Actor): Promise<number> {
      const grants = await grantsOf(accountId);
      for (const { row, payload } of grants) await removeGrant(accountId, row.id, payload.clientId, actor);
      return grants.length;
    },

    /** Deletes every refresh token of the account's grants (password change). */
    async revokeRefreshTokens(accountId: string): Promise<void> {
      for (const { row } of await grantsOf(accountId)) await records.destroyByGrantId('RefreshToken', row.id);
    },

    /** Remembers the browser and address behind a session, for the account console. */
    touch: (sessionUid: string, accountId: string, ip: string | null, userAgent: string | null) =>
      activity.touch({ sessionUid, accountId, ip, userAgent: userAgent?.slice(0, 512) ?? null, lastSeenAt: now() }),

    /** The newest grant this account gave this client, whose consent a new session carries over. */
    async findGrantId(accountId: string, clientId: string): Promise<string | undefined> {
      return (await grantsOf(accountId)).find(({ payload }) => payload.clientId === clientId)?.row.id;
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
