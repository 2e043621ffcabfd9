import type Provider from 'oidc-provider';
import type { OidcRecordQueries } from '../db/oidc-record-queries.js';

/** What oidc-provider stores for a session: per client, the `sid` it was told and the grant. */
export interface EndedSession {
  readonly uid?: string;
  readonly accountId?: string;
  readonly authorizations?: Record<string, { sid?: string; grantId?: string; persistsLogout?: boolean }>;
}

export type SessionEnded = (session: EndedSession) => Promise<void>;

/** One logout notice to deliver: the client, the subject and the session id it was told (OIDC Back-Channel Logout §2.4). */
export interface BackchannelNotice {
  readonly clientId: string;
  readonly sub: string;
  readonly sid?: string;
}

/**
 * What must follow a session ended outside oidc-provider's end_session endpoint (the account
 * console, `gatehouse session revoke`, `gatehouse user disable`), done as end_session does it:
 * each grant made in the session dies with it unless it persists logout (offline_access), and each
 * client with a `backchannel_logout_uri` gets a logout token (OIDC Back-Channel Logout §2.5).
 * The notices go through the outbox (`enqueue`), so the server delivers them under its outbound
 * policy with retries, whether the CLI or the server ended the session.
 * `provider` is late-bound: the session service exists before the provider does.
 */
export function createBackchannelNotifier(
  provider: () => Provider,
  records: Pick<OidcRecordQueries, 'destroyGrant'>,
  enqueue: (notice: BackchannelNotice) => Promise<void>,
): SessionEnded {
  return async (session) => {
    const { accountId } = session;
    await Promise.all(
      Object.entries(session.authorizations ?? {}).map(async ([clientId, { sid, grantId, persistsLogout }]) => {
        if (grantId && !persistsLogout) await records.destroyGrant(grantId);
        const client = await provider().Client.find(clientId);
        if (!client?.backchannelLogoutUri || !accountId) return;
        await enqueue({ clientId, sub: accountId, sid });
      }),
    );
  };
}
