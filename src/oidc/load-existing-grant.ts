import type { KoaContextWithOIDC, Grant } from 'oidc-provider';

export type FindGrantId = (accountId: string, clientId: string) => Promise<string | undefined>;

/**
 * Which grant an authorization request builds on. oidc-provider's default only looks in the
 * current session; we also look up the account's stored grant for the client, so consent given
 * once is remembered across sessions (asking for more scopes still asks again). First-party
 * clients are trusted: whatever they request is granted without a consent screen.
 */
export function createLoadExistingGrant(findGrantId: FindGrantId) {
  return async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
    const { oidc } = ctx;
    const client = oidc.client;
    const accountId = oidc.session?.accountId;
    if (!client || !accountId) return undefined;

    const grantId = (oidc.result?.consent as { grantId?: string } | undefined)?.grantId
      ?? oidc.session?.grantIdFor(client.clientId)
      ?? await findGrantId(accountId, client.clientId);
    let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
    if (grant && (grant.accountId !== accountId || grant.clientId !== client.clientId)) grant = undefined;

    if (!(client as unknown as { first_party?: boolean }).first_party) return grant;

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
