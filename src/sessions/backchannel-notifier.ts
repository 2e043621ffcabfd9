import type Provider from 'oidc-provider';
import type { OidcRecordQueries } from '../oidc/oidc-record-queries.js';
import type { Logger } from '../http/logger.js';

/** What oidc-provider stores for a session: per client, the `sid` it was told and the grant. */
export interface EndedSession {
  readonly uid?: string;
  readonly accountId?: string;
  readonly authorizations?: Record<string, { sid?: string; grantId?: string; persistsLogout?: boolean }>;
}

export type SessionEnded = (session: EndedSession) => Promise<void>;

/**
 * What must follow a session ended outside oidc-provider's end_session endpoint (the account
 * console, `gatehouse session revoke`, `gatehouse user disable`), done as end_session does it:
 * each grant made in the session dies with it unless it persists logout (offline_access), and each
 * client with a `backchannel_logout_uri` gets a logout token (OIDC Back-Channel Logout §2.5).
 * `provider` is late-bound: the session service exists before the provider does.
 */
export function createBackchannelNotifier(provider: () => Provider, records: Pick<OidcRecordQueries, 'destroyGrant'>, logger?: Logger): SessionEnded {
  return async (session) => {
    const { accountId } = session;
    await Promise.all(Object.entries(session.authorizations ?? {}).map(async ([clientId, { sid, grantId, persistsLogout }]) => {
      if (grantId && !persistsLogout) await records.destroyGrant(grantId);
      const client = await provider().Client.find(clientId);
      if (!client?.backchannelLogoutUri || !accountId) return;
      try {
        // Typed as unknown in oidc-provider's declarations; Client#backchannelLogout(sub, sid).
        const notify = client.backchannelLogout as (sub: string, sid: string | undefined) => Promise<void>;
        await notify.call(client, accountId, sid);
      } catch (error) {
        // §2.8: the OP cannot do more than try; the session is over whatever the RP answers.
        logger?.warn({ err: error, clientId }, 'back-channel logout failed');
      }
    }));
  };
}
