import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { freePort } from '../support/free-port.js';
import { startNodeApp } from '../support/node-app.js';
import { openDirectoryRows } from '../support/directory-rows.js';

// Issue 19: for an API with RBAC on, a person's token carries the scopes the app is granted, that
// were asked and consented, and that the person's roles permit, read at every token and refresh.

const PASSWORD = 'lisp garbage collector';
const REDIRECT = 'https://app.example/cb';
const OPEN_API = 'https://open.example.com';

let server: TestServer;
let env: Record<string, string>;
let rows: ReturnType<typeof openDirectoryRows>;
let api: string;
let apiApp: Awaited<ReturnType<typeof startNodeApp>>;
let app: Required<Credentials>;
let machine: Required<Credentials>;
const people: Record<'vera' | 'eddie' | 'walt' | 'nora', string> = { vera: '', eddie: '', walt: '', nora: '' };
const email = (person: keyof typeof people) => `${person}@example.com`;

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  const apiPort = await freePort();
  api = `http://127.0.0.1:${apiPort}`;
  for (const person of Object.keys(people) as (keyof typeof people)[]) {
    people[person] = (
      await gatehouseJson<{ id: string }>(env, 'user', 'add', '--email', email(person), '--password', PASSWORD)
    ).id;
  }
  await gatehouseJson(env, 'resource', 'add', '--identifier', api, '--scope', 'read write');
  await gatehouseJson(env, 'resource', 'add', '--identifier', OPEN_API, '--scope', 'read');
  app = await gatehouseJson(
    env,
    'client',
    'add',
    '--name',
    'Documents app',
    '--redirect-uri',
    REDIRECT,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
    '--resource',
    api,
    '--resource',
    OPEN_API,
  );
  machine = await gatehouseJson(
    env,
    'client',
    'add',
    '--name',
    'Nightly import',
    '--grant-type',
    'client_credentials',
    '--resource',
    api,
  );

  rows = openDirectoryRows(server.database.url);
  await rows.resourceSettings(api, { rbac: true, tokenClaims: ['roles'] });
  await rows.role('viewer', { [api]: ['read'] });
  await rows.role('editor', { [api]: ['read', 'write'] });
  await rows.grantRole(people.vera, 'viewer');
  await rows.grantRole(people.walt, 'viewer');
  await rows.grantRole(people.eddie, 'editor');

  apiApp = await startNodeApp(new URL('../support/apps/express-oauth2-jwt-bearer-api.mjs', import.meta.url), {
    ISSUER: server.config.issuer,
    API: api,
    PORT: String(apiPort),
  });
});

afterAll(async () => {
  await apiApp?.stop();
  await rows?.close();
  await server?.close();
});

/** The lines of the consent page's list, as a person reads them. */
const consentLines = (page: string): string[] =>
  [...page.matchAll(/<li>([^<]*)<\/li>/g)].map(([, line]) => (line ?? '').replaceAll('&quot;', '"'));

/**
 * Signs `person` in to the app asking for `scope` of `resource` (RFC 8707), reads the consent page
 * (always shown: prompt=consent), allows, and returns what the app's callback received.
 */
async function signIn(person: keyof typeof people, scope: string, resource = api) {
  const rp = await relyingParty(server.config.issuer, app, REDIRECT);
  const request = await rp.authorizationRequest({ scope, resource, prompt: 'consent' });
  const agent = new UserAgent(server.url);
  const { page } = await walkAuthorization(agent, request.url, { email: email(person), password: PASSWORD });
  const html = (await page?.text()) ?? '';
  const uid = /action="\/interaction\/([^/]+)\//.exec(html)?.[1];
  const answer = await agent.follow(await agent.post(`/interaction/${uid}/confirm`, {}));
  const callback = new URL(answer.headers.get('location') as string);
  return { rp, request, callback, consent: consentLines(html) };
}

async function verified(accessToken: string, audience = api): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${server.url}/jwks`));
  return (await jwtVerify(accessToken, jwks, { issuer: server.config.issuer, audience, typ: 'at+jwt' })).payload;
}

/** A request to the express-oauth2-jwt-bearer API: GET needs read, POST write, DELETE the editor role. */
const callApi = (method: 'GET' | 'POST' | 'DELETE', accessToken: string) =>
  fetch(`${api}/documents`, { method, headers: { authorization: `Bearer ${accessToken}` } });

describe('an API with role-based access control', () => {
  it('gives a viewer who asks for read and write only read: consent lists read alone, the token holds read, and the API lets her read but not write', async () => {
    const { rp, request, callback, consent } = await signIn('vera', 'openid offline_access read write');
    expect(consent).toContain(`Use "read" on ${api}`);
    expect(consent.join('\n')).not.toContain('write');

    const tokens = await rp.redeem(callback, request, { resource: api });
    const payload = await verified(tokens.access_token);
    expect(payload).toMatchObject({ sub: people.vera, scope: 'read', roles: ['viewer'] });
    expect((await callApi('GET', tokens.access_token)).status).toBe(200);
    expect((await callApi('POST', tokens.access_token)).status).toBe(403);
    // The library answers a failed claimIncludes as an invalid token (401), requiredScopes as 403.
    const deletion = await callApi('DELETE', tokens.access_token);
    expect(deletion.status).toBe(401);
    expect(deletion.headers.get('www-authenticate')).toContain("Unexpected 'roles' value");
  });

  it('lets an editor read and write; once write is taken from the editor role, her next refresh holds read only and the API refuses her write', async () => {
    const { rp, request, callback, consent } = await signIn('eddie', 'openid offline_access read write');
    expect(consent).toEqual(expect.arrayContaining([`Use "read" on ${api}`, `Use "write" on ${api}`]));
    const tokens = await rp.redeem(callback, request, { resource: api });
    expect(await verified(tokens.access_token)).toMatchObject({ scope: 'read write', roles: ['editor'] });
    expect((await callApi('POST', tokens.access_token)).status).toBe(201);
    expect((await callApi('DELETE', tokens.access_token)).status).toBe(200);

    await rows.unpermit('editor', api, 'write');
    try {
      const refreshed = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string, { resource: api });
      expect(await verified(refreshed.access_token)).toMatchObject({ scope: 'read', roles: ['editor'] });
      expect((await callApi('GET', refreshed.access_token)).status).toBe(200);
      expect((await callApi('POST', refreshed.access_token)).status).toBe(403);
    } finally {
      await rows.permit('editor', api, 'write');
    }
  });

  it('does not widen a refresh when a viewer becomes an editor (RFC 6749 §6: never beyond what was consented); signing in again asks her consent for write and then gives it', async () => {
    const first = await signIn('walt', 'openid offline_access read write');
    const tokens = await first.rp.redeem(first.callback, first.request, { resource: api });
    expect(await verified(tokens.access_token)).toMatchObject({ scope: 'read' });

    await rows.grantRole(people.walt, 'editor');
    const refreshed = await oidc.refreshTokenGrant(first.rp.config, tokens.refresh_token as string, {
      resource: api,
    });
    expect(await verified(refreshed.access_token)).toMatchObject({ scope: 'read', roles: ['editor', 'viewer'] });
    // Asking the refresh for write outright: the refresh token was never granted it.
    await expect(
      oidc.refreshTokenGrant(first.rp.config, refreshed.refresh_token as string, {
        resource: api,
        scope: 'read write',
      }),
    ).rejects.toMatchObject({ error: 'invalid_scope' });

    const second = await signIn('walt', 'openid offline_access read write');
    expect(second.consent).toContain(`Use "write" on ${api}`);
    const widened = await second.rp.redeem(second.callback, second.request, { resource: api });
    expect(await verified(widened.access_token)).toMatchObject({ scope: 'read write' });
    expect((await callApi('POST', widened.access_token)).status).toBe(201);
  });

  it('lets a person whose roles permit nothing sign in, refuses her a token for the API with invalid_scope, and keeps her refresh token for the next try', async () => {
    const { rp, request, callback, consent } = await signIn('nora', 'openid offline_access read');
    expect(consent.join('\n')).not.toContain(api);
    const tokens = await rp.redeem(callback, request);
    expect(tokens.claims()?.sub).toBe(people.nora);

    await expect(
      oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string, { resource: api }),
    ).rejects.toMatchObject({ error: 'invalid_scope' });
    // Refused before rotation: the same refresh token still works (no reuse, no revoked grant).
    const again = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string);
    expect(again.access_token).toEqual(expect.any(String));
  });

  it('leaves client_credentials tokens to the client grant, whoever holds which role', async () => {
    const res = await postForm(server.url, '/token', machine, {
      grant_type: 'client_credentials',
      resource: api,
      scope: 'read write',
    });
    expect(res.status).toBe(200);
    const payload = await verified(res.body.access_token as string);
    expect(payload).toMatchObject({ sub: machine.client_id, scope: 'read write' });
    expect(payload.roles).toBeUndefined();
    expect((await callApi('POST', res.body.access_token as string)).status).toBe(201);
  });

  it('leaves an API without RBAC as before: a person with no role gets what the app is granted and she consents', async () => {
    const { rp, request, callback, consent } = await signIn('nora', 'openid read', OPEN_API);
    expect(consent).toContain(`Use "read" on ${OPEN_API}`);
    const tokens = await rp.redeem(callback, request, { resource: OPEN_API });
    const payload = await verified(tokens.access_token, OPEN_API);
    expect(payload.scope).toBe('read');
    expect(payload.roles).toBeUndefined();
  });
});
