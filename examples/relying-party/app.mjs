// A relying party in 40 lines: Express + openid-client. Signs you in at Gatehouse (code flow,
// PKCE, state, nonce), shows the ID token's claims, and calls the example API with an access token.
import { readFileSync } from 'node:fs';
import express from 'express';
import * as oidc from 'openid-client';

const { ISSUER = 'http://localhost:3000', API = 'http://localhost:4000', PORT = '8080' } = process.env;
const BASE = process.env.BASE_URL ?? `http://localhost:${PORT}`;
// `gatehouse client add … --json > examples/client.json` wrote these.
const { client_id, client_secret } = JSON.parse(
  readFileSync(process.env.CLIENT_FILE ?? 'examples/client.json', 'utf8'),
);
const insecure = ISSUER.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined; // local development only
// The client was registered for client_secret_basic (the default); openid-client would otherwise post it.
const config = await oidc.discovery(
  new URL(ISSUER),
  client_id,
  undefined,
  oidc.ClientSecretBasic(client_secret),
  insecure,
);
const pending = new Map(); // state → PKCE verifier and nonce, until the browser comes back

const app = express();
app.get('/', async (_req, res) => {
  const [verifier, state, nonce] = [oidc.randomPKCECodeVerifier(), oidc.randomState(), oidc.randomNonce()];
  pending.set(state, { verifier, nonce });
  res.redirect(
    oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${BASE}/callback`,
      scope: 'openid email profile read',
      resource: API,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).href,
  );
});
app.get('/callback', async (req, res) => {
  const url = new URL(req.originalUrl, BASE);
  const state = url.searchParams.get('state');
  const checks = pending.get(state);
  pending.delete(state);
  if (!checks) return res.status(400).type('text').send('Unknown sign-in: start again at /');
  // RFC 8707: name the API to get its access token; the ID token comes along.
  const tokens = await oidc.authorizationCodeGrant(
    config,
    url,
    { pkceCodeVerifier: checks.verifier, expectedState: state, expectedNonce: checks.nonce },
    { resource: API },
  );
  const api = await fetch(API, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  res.type('json').send(JSON.stringify({ id_token_claims: tokens.claims(), api_answer: await api.json() }, null, 2));
});
app.listen(Number(PORT), () => process.stdout.write(`listening on ${BASE}\n`));
