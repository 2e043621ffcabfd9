import type { KoaContextWithOIDC, Grant } from 'oidc-provider';
import { dynamicKindOf } from '../clients/dynamic-client-policy.js';

/** The account's latest grant to the client, whichever session it was made in. */
export type FindGrantId = (accountId: string, clientId: string) => Promise<string | undefined>;

type Provider = KoaContextWithOIDC['oidc']['provider'];

/**
 * A new grant carrying what the person consented to in their latest grant to this client (OpenID
 * scopes, claims, each API's scopes), or undefined when there is none. It is saved, so the session
 * that loads it owns it from now on.
 */
async function carryConsent(
  provider: Provider,
  findGrantId: FindGrantId,
  accountId: string,
  clientId: string,
): Promise<Grant | undefined> {
  const earlierId = await findGrantId(accountId, clientId);
  const earlier = earlierId ? await provider.Grant.find(earlierId) : undefined;
  if (!earlier || earlier.accountId !== accountId || earlier.clientId !== clientId) return undefined;
  const grant = new provider.Grant({ accountId, clientId });
  const scope = earlier.getOIDCScope();
  if (scope) grant.addOIDCScope(scope);
  const claims = earlier.getOIDCClaims();
  if (claims.length) grant.addOIDCClaims(claims);
  for (const indicator of Object.keys(earlier.resources ?? {})) {
    const apiScope = earlier.getResourceScope(indicator);
    if (apiScope) grant.addResourceScope(indicator, apiScope);
  }
  await grant.save();
  return grant;
}

/**
 * Which grant an authorization request builds on. Every session has a grant of its own per client,
 * so ending a session revokes only what was issued in it (OIDC RP-Initiated Logout; README, Logout):
 * signing out on a laptop leaves the phone's tokens for the same app alone. Consent is remembered
 * across sessions all the same: a session without a grant for the client starts one with what the
 * person already consented to (carryConsent), so a new browser asks again only for new scopes. A
 * session whose own grant is gone (revoked) does not inherit: it asks again. First-party clients are
 * trusted: whatever they request is granted without a consent screen. Clients the operator did not
 * register (self-registered, metadata documents) are the opposite: consent is asked at every
 * authorization, whatever was given before.
 */
export function createLoadExistingGrant(findGrantId: FindGrantId) {
  return async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
    const { oidc } = ctx;
    const client = oidc.client;
    const accountId = oidc.session?.accountId;
    if (!client || !accountId) return undefined;

    const ownId =
      (oidc.result?.consent as { grantId?: string } | undefined)?.grantId ?? oidc.session?.grantIdFor(client.clientId);
    // A client nobody vouched for is asked about every time: only the consent just given counts.
    if (dynamicKindOf(client)) {
      const given = (oidc.result?.consent as { grantId?: string } | undefined)?.grantId;
      const grant = given ? await oidc.provider.Grant.find(given) : undefined;
      return grant?.accountId === accountId && grant.clientId === client.clientId ? grant : undefined;
    }
    const firstParty = Boolean((client as unknown as { first_party?: boolean }).first_party);
    let grant = ownId ? await oidc.provider.Grant.find(ownId) : undefined;
    if (grant && (grant.accountId !== accountId || grant.clientId !== client.clientId)) grant = undefined;
    if (!ownId && !firstParty) grant = await carryConsent(oidc.provider, findGrantId, accountId, client.clientId);

    if (!firstParty) return grant;

    grant ??= new oidc.provider.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope([...oidc.requestParamScopes].join(' '));
    grant.addOIDCClaims([...oidc.requestParamClaims]);
    for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
      const offered = new Set((server.scope ?? '').split(' '));
      grant.addResourceScope(indicator, [...oidc.requestParamScopes].filter((s) => offered.has(s)).join(' '));
    }
    await grant.save();
    return grant;
  };
}
