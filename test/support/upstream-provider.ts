import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';
import { SignJWT, exportJWK, importJWK, type JWK } from 'jose';
import { freePort } from './free-port.js';

export interface UpstreamPerson {
  email: string;
  email_verified: boolean;
  name?: string;
}

/**
 * A bare oidc-provider 9 on loopback as the upstream OpenID Provider, with its development sign-in
 * screens (any login is the `sub`; no password) and consent. `people` is its directory: change an
 * entry's email between sign-ins to play an upstream whose address changed.
 */
export async function startUpstreamProvider(client: {
  client_id: string;
  client_secret: string;
  redirect_uri: string;
}) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const people = new Map<string, UpstreamPerson>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.client_id,
        client_secret: client.client_secret,
        redirect_uris: [client.redirect_uri],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(_ctx, sub) {
      const person = people.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...person }) };
    },
  });
  const server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    people,
    close: () => closeServer(server),
  };
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export type Forgery = 'none' | 'bad_signature' | 'wrong_iss' | 'replayed_nonce' | 'denied';

/**
 * A scripted upstream OpenID Provider that signs its own ID tokens, to play a broken or hostile
 * one: discovery, JWKS, an authorization endpoint that answers at once (the person is "alice"),
 * or refuses (`denied`), and a token endpoint whose ID token is signed by another key (`bad_signature`), names another
 * issuer (`wrong_iss`), or carries the nonce of an earlier sign-in (`replayed_nonce`).
 */
export async function startScriptedUpstream() {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const key = (kid: string) => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { privateKey, kid };
  };
  const real = key('upstream-key');
  // Same kid, other key material: the signature cannot verify against the published key.
  const forger = key('upstream-key');
  const publicJwk = { ...(await exportJWK(real.privateKey)), kid: real.kid, alg: 'RS256', use: 'sig' } as JWK;
  delete publicJwk.d;
  delete publicJwk.p;
  delete publicJwk.q;
  delete publicJwk.dp;
  delete publicJwk.dq;
  delete publicJwk.qi;
  const codes = new Map<string, { nonce: string; clientId: string }>();
  let firstNonce: string | undefined;
  const state = { forgery: 'none' as Forgery };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [publicJwk] });
    if (url.pathname === '/auth' && state.forgery === 'denied') {
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(303, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/auth') {
      const code = randomBytes(16).toString('base64url');
      const nonce = url.searchParams.get('nonce') ?? '';
      firstNonce ??= nonce;
      codes.set(code, { nonce, clientId: url.searchParams.get('client_id') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(303, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const issued = codes.get(form.get('code') ?? '');
      if (!issued) return json(400, { error: 'invalid_grant' });
      codes.delete(form.get('code') ?? '');
      const signer = state.forgery === 'bad_signature' ? forger : real;
      const idToken = await new SignJWT({
        nonce: state.forgery === 'replayed_nonce' ? firstNonce : issued.nonce,
        email: 'alice@scripted.example',
        email_verified: true,
      })
        .setProtectedHeader({ alg: 'RS256', kid: signer.kid })
        .setIssuer(state.forgery === 'wrong_iss' ? 'http://127.0.0.1:1/elsewhere' : issuer)
        .setSubject('alice')
        .setAudience(issued.clientId)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(await importJWK({ ...(await exportJWK(signer.privateKey)), alg: 'RS256' }, 'RS256'));
      return json(200, {
        access_token: randomBytes(16).toString('base64url'),
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken,
      });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    state,
    /** Forget the first nonce, so the next sign-in's becomes the one replayed. */
    reset: () => {
      firstNonce = undefined;
    },
    close: () => closeServer(server),
  };
}

/**
 * A small loopback server speaking GitHub's OAuth and REST shapes (GitHub itself is not reachable
 * from the test machines): GitHub Enterprise Server's paths, /login/oauth/authorize and
 * /login/oauth/access_token, and /api/v3/user and /api/v3/user/emails. The authorization endpoint
 * answers at once for the one user; the emails list has an unverified primary-looking decoy.
 */
export async function startFakeGithub(user: { id: number; login: string; email: string }) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const codes = new Set<string>();
  const tokens = new Set<string>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/login/oauth/authorize') {
      const code = randomBytes(10).toString('hex');
      codes.add(code);
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      if (!codes.delete(form.get('code') ?? '') || !form.get('code_verifier'))
        return json(200, { error: 'bad_verification_code' });
      const token = `gho_${randomBytes(12).toString('hex')}`;
      tokens.add(token);
      return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const token = (req.headers.authorization ?? '').replace(/^(bearer|token) /i, '');
    if (!tokens.has(token)) return json(401, { message: 'Bad credentials' });
    if (url.pathname === '/api/v3/user') return json(200, { id: user.id, login: user.login, name: 'The Octocat' });
    if (url.pathname === '/api/v3/user/emails')
      return json(200, [
        { email: `unverified-${user.email}`, primary: false, verified: false },
        { email: user.email, primary: true, verified: true },
      ]);
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin, close: () => closeServer(server) };
}
