import * as oidc from 'openid-client';

/** An RP built on openid-client 6, the library real apps use. */
export async function relyingParty(
  issuer: string,
  client: { client_id: string; client_secret?: string },
  redirectUri: string,
) {
  // Gatehouse registers clients for client_secret_basic unless told otherwise, and holds them to it;
  // openid-client sends client_secret_post unless told otherwise.
  const auth = client.client_secret ? oidc.ClientSecretBasic(client.client_secret) : oidc.None();
  const config = await oidc.discovery(new URL(issuer), client.client_id, undefined, auth, {
    execute: [oidc.allowInsecureRequests],
  });
  return {
    config,
    /** A fresh authorization request with PKCE S256, state and nonce. */
    async authorizationRequest(params: Record<string, string> = {}) {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...params,
      });
      return { url, verifier, state, nonce };
    },
    /** Redeems the callback URL the way an app's redirect_uri handler does (`resource` for an API's token, RFC 8707 §2.2). */
    redeem(
      callback: string | URL,
      request: { verifier: string; state: string; nonce: string },
      tokenParams?: Record<string, string>,
    ) {
      return oidc.authorizationCodeGrant(
        config,
        new URL(callback),
        {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
          idTokenExpected: true,
        },
        tokenParams,
      );
    },
  };
}
