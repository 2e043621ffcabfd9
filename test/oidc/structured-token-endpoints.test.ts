import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { createPrisma, type Db } from '../../src/db/create-prisma.js';
import { STRUCTURED_MODEL } from '../../src/db/oidc-record-queries.js';

const API = 'https://api.example.com/';
const OTHER_API = 'https://other.example.com';
const EMAIL = 'dorothy@example.com';
const PASSWORD = 'crystallography 1964';
const REDIRECT = 'https://dash.example/cb';

let server: TestServer;
let env: Record<string, string>;
let db: Db;
let api: Credentials;
let otherApi: Credentials;
let worker: Credentials;
let stranger: Credentials;
let dash: Credentials;

const cli = <T = Credentials>(...argv: string[]) => gatehouseJson<T>(env, ...argv);

const introspect = (client: Credentials, token: string, headers: Record<string, string> = {}) =>
  postForm(server.url, '/token/introspection', client, { token }, headers);
const revoke = (client: Credentials, token: string) => postForm(server.url, '/token/revocation', client, { token });

async function machineToken(extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await postForm(
    server.url,
    '/token',
    worker,
    { grant_type: 'client_credentials', resource: API, scope: 'read', ...extra },
    headers,
  );
  if (res.status !== 200) throw new Error(res.text);
  return res.body.access_token as string;
}

/** A person's JWT access token for the API, through the code flow (openid-client as the RP). */
async function userToken() {
  const rp = await relyingParty(server.config.issuer, dash as { client_id: string; client_secret: string }, REDIRECT);
  const request = await rp.authorizationRequest({ scope: 'openid read', resource: API });
  const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  // RFC 8707 §2.2: the API's token is asked for by name; without it a sign-in gets the userinfo token.
  const tokens = await rp.redeem(callback as URL, request, { resource: API });
  return { rp, tokens };
}

const recordCount = (jti: string) => db.oidcRecord.count({ where: { model: STRUCTURED_MODEL, id: jti } });

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  db = createPrisma(server.database.url);
  await cli('user', 'add', '--email', EMAIL, '--password', PASSWORD);
  api = await cli('resource', 'add', '--identifier', API, '--scope', 'read write');
  otherApi = await cli('resource', 'add', '--identifier', OTHER_API, '--scope', 'read');
  worker = await cli('client', 'add', '--name', 'Worker', '--grant-type', 'client_credentials', '--resource', API);
  stranger = await cli('client', 'add', '--name', 'Stranger', '--grant-type', 'client_credentials');
  dash = await cli('client', 'add', '--name', 'Dashboard', '--redirect-uri', REDIRECT, '--resource', API);
});

afterAll(async () => {
  await db.$disconnect();
  await server.close();
});

describe('introspection of JWT access tokens (RFC 7662 for RFC 9068 tokens)', () => {
  it("tells the API a JWT meant for it is active, with the token's claims", async () => {
    const token = await machineToken();
    const claims = decodeJwt(token);
    const res = await introspect(api, token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      active: true,
      iss: server.config.issuer,
      sub: worker.client_id,
      client_id: worker.client_id,
      aud: API,
      scope: 'read',
      jti: claims.jti,
      iat: claims.iat,
      exp: claims.exp,
      token_type: 'Bearer',
    });
  });

  it('answers exactly {"active": false} to another API and to an unrelated client', async () => {
    const token = await machineToken();
    expect((await introspect(otherApi, token)).body).toEqual({ active: false });
    expect((await introspect(stranger, token)).body).toEqual({ active: false });
    expect((await introspect(worker, token)).body).toMatchObject({ active: true });
  });

  it('authenticates the caller as for any token: a wrong secret is 401 invalid_client', async () => {
    const res = await introspect({ ...api, client_secret: 'wrong' }, await machineToken());
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('answers {"active": false} to a JWT it did not sign, even with every claim right', async () => {
    const real = decodeJwt(await machineToken());
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(real)
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'forged' })
      .sign(privateKey);
    expect((await introspect(api, forged)).body).toEqual({ active: false });
  });

  it("never takes a JWT's jti for a token", async () => {
    const { jti } = decodeJwt(await machineToken());
    expect((await introspect(api, jti as string)).body).toEqual({ active: false });
  });

  it('answers as a signed JWT for Accept: application/token-introspection+jwt (RFC 9701)', async () => {
    const res = await introspect(api, await machineToken(), { accept: 'application/token-introspection+jwt' });
    expect(res.headers.get('content-type')).toMatch(/^application\/token-introspection\+jwt/);
    const { payload } = await jwtVerify(res.text, createRemoteJWKSet(new URL(`${server.url}/jwks`)), {
      issuer: server.config.issuer,
      audience: api.client_id,
      typ: 'token-introspection+jwt',
    });
    expect(payload.token_introspection).toMatchObject({
      active: true,
      aud: API,
      client_id: worker.client_id,
      scope: 'read',
    });
  });

  it('reports a DPoP-bound JWT as such', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const proof = await new SignJWT({ htm: 'POST', htu: `${server.url}/token`, jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(publicKey) })
      .setIssuedAt()
      .sign(privateKey);
    const token = await machineToken({}, { dpop: proof });
    expect((await introspect(api, token)).body).toMatchObject({
      active: true,
      token_type: 'DPoP',
      cnf: { jkt: expect.any(String) },
    });
  });

  it("tells the API about a person's JWT from the code flow, with the authentication behind it", async () => {
    const { tokens } = await userToken();
    const res = await introspect(api, tokens.access_token);
    expect(res.body).toMatchObject({
      active: true,
      aud: API,
      client_id: dash.client_id,
      scope: 'read',
      sub: tokens.claims()?.sub,
      acr: 'urn:gatehouse:acr:password',
      amr: ['pwd'],
      auth_time: expect.any(Number),
    });
  });
});

describe('revocation of JWT access tokens (RFC 7009)', () => {
  it('lets the owner revoke its JWT (openid-client tokenRevocation): the record goes and the API hears inactive', async () => {
    const token = await machineToken();
    const { jti } = decodeJwt(token);
    expect(await recordCount(jti as string)).toBe(1);
    const metadata = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as oidc.ServerMetadata;
    const config = new oidc.Configuration(
      metadata,
      worker.client_id,
      undefined,
      oidc.ClientSecretBasic(worker.client_secret as string),
    );
    oidc.allowInsecureRequests(config);
    await oidc.tokenRevocation(config, token);
    expect(await recordCount(jti as string)).toBe(0);
    expect((await introspect(api, token)).body).toEqual({ active: false });
  });

  it('changes nothing when another client revokes it, and says no more than 200', async () => {
    const token = await machineToken();
    const res = await revoke(stranger, token);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await introspect(api, token)).body).toMatchObject({ active: true });
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const res = await revoke({ ...worker, client_secret: 'wrong' }, await machineToken());
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it("ends a person's JWT when their grant is removed (gatehouse user disable)", async () => {
    const { tokens } = await userToken();
    expect((await introspect(api, tokens.access_token)).body).toMatchObject({ active: true });
    await cli('user', 'disable', '--email', EMAIL);
    try {
      expect((await introspect(api, tokens.access_token)).body).toEqual({ active: false });
    } finally {
      await cli('user', 'enable', '--email', EMAIL);
    }
  });
});
