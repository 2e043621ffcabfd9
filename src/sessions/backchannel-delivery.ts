import type Provider from 'oidc-provider';
import type { BackchannelNotice } from './backchannel-notifier.js';

/**
 * Sends one logout token (OIDC Back-Channel Logout §2.5) through the provider, so the request obeys
 * its outbound policy (src/oidc/outbound-fetch.ts). Throws on anything but 200/204 to have the
 * outbox retry; a client removed or without a back-channel URI meanwhile drops the notice.
 */
export function createBackchannelDelivery(provider: () => Provider) {
  return async (notice: BackchannelNotice): Promise<'sent' | 'dropped'> => {
    const client = await provider().Client.find(notice.clientId);
    if (!client?.backchannelLogoutUri) return 'dropped';
    // Typed as unknown in oidc-provider's declarations; Client#backchannelLogout(sub, sid).
    const notify = client.backchannelLogout as (sub: string, sid: string | undefined) => Promise<void>;
    await notify.call(client, notice.sub, notice.sid);
    return 'sent';
  };
}
