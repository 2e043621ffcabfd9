import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { openDirectoryRows } from '../support/directory-rows.js';

// Issue 19: the standard profile and phone claims, roles, groups and custom scopes' claims, in ID
// tokens and userinfo exactly per granted scope, and roles/groups in access tokens when an API asks.

const PASSWORD = 'lisp garbage collector';
const REDIRECT = 'https://app.example/cb';
const JWT_API = 'https://ledger.example.com';
const OPAQUE_API = 'https://payroll.example.com';
const ALL = 'openid offline_access email profile phone roles groups hr';

let server: TestServer;
let env: Record<string, string>;
let rows: ReturnType<typeof openDirectoryRows>;
let app: Required<Credentials>;
let payroll: Required<Credentials>;
let ada: string;

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  ada = (await gatehouseJson<{ id: string }>(env, 'user', 'add', '--email', 'ada@example.com', '--password', PASSWORD))
    .id;
  await gatehouseJson(env, 'user', 'add', '--email', 'bob@example.com', '--password', PASSWORD);
  await gatehouseJson(env, 'resource', 'add', '--identifier', JWT_API, '--scope', 'read');
  payroll = await gatehouseJson(
    env,
    'resource',
    'add',
    '--identifier',
    OPAQUE_API,
    '--scope',
    'read',
    '--token-format',
    'opaque',
  );
  app = await gatehouseJson(
    env,
    'client',
    'add',
    '--name',
    'HR app',
    '--redirect-uri',
    REDIRECT,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
    '--resource',
    JWT_API,
    '--resource',
    OPAQUE_API,
  );

  rows = openDirectoryRows(server.database.url);
  await rows.profile(ada, {
    name: 'Ada Lovelace',
    givenName: 'Ada',
    familyName: 'Lovelace',
    locale: 'en-GB',
    zoneinfo: 'Europe/London',
    phoneNumber: '+44 20 7946 0000',
    phoneNumberVerified: true,
  });
  await rows.role('auditor');
  await rows.role('editor');
  await rows.grantRole(ada, 'auditor');
  await rows.grantRole(ada, 'editor');
  await rows.group('finance', [ada]);
  await rows.attribute('department', 'string', { [ada]: 'Finance' });
  await rows.attribute('employee_id', 'string', { [ada]: 'E-1001' });
  await rows.claimScope('hr', ['department', 'employee_id']);
  await rows.resourceSettings(JWT_API, { tokenClaims: ['roles', 'groups'] });
  await rows.resourceSettings(OPAQUE_API, { tokenClaims: ['roles', 'groups'] });
  // The custom scope was added after the server started: it takes effect at the next refresh tick.
  expect(await server.running.refreshKeys()).toBe(true);
});

afterAll(async () => {
  await rows?.close();
  await server?.close();
});

async function signIn(email: string, scope: string, resource?: string) {
  const rp = await relyingParty(server.config.issuer, app, REDIRECT);
  // prompt=consent: offline_access is honoured only with it (OIDC Core §11).
  const request = await rp.authorizationRequest({ scope, prompt: 'consent', ...(resource ? { resource } : {}) });
  const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
    email,
    password: PASSWORD,
    consent: 'allow',
  });
  const tokens = await rp.redeem(callback as URL, request);
  const sub = tokens.claims()?.sub as string;
  return {
    rp,
    tokens,
    idToken: (tokens.claims() ?? {}) as Record<string, unknown>,
    userinfo: () => oidc.fetchUserInfo(rp.config, tokens.access_token, sub),
  };
}

const PERSON_CLAIMS = [
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'locale',
  'zoneinfo',
  'phone_number',
  'phone_number_verified',
  'roles',
  'groups',
  'department',
  'employee_id',
];
const personClaimsOf = (claims: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(claims).filter(([name]) => PERSON_CLAIMS.includes(name)));

describe('claims per scope', () => {
  it('puts the profile, phone, roles, groups and custom-scope claims in the ID token and userinfo alike, leaving out what the person has no value for', async () => {
    const { idToken, userinfo } = await signIn('ada@example.com', ALL);
    const expected = {
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      locale: 'en-GB',
      zoneinfo: 'Europe/London',
      phone_number: '+44 20 7946 0000',
      phone_number_verified: true,
      roles: ['auditor', 'editor'],
      groups: ['finance'],
      department: 'Finance',
      employee_id: 'E-1001',
    };
    expect(personClaimsOf(idToken)).toEqual(expected);
    expect(personClaimsOf(await userinfo())).toEqual(expected);
    // No value, no claim: not `"nickname": null`.
    expect(Object.keys(idToken)).not.toContain('nickname');
  });

  it('releases none of them without their scopes', async () => {
    const { idToken, userinfo } = await signIn('ada@example.com', 'openid email');
    expect(idToken.email).toBe('ada@example.com');
    expect(personClaimsOf(idToken)).toEqual({});
    expect(personClaimsOf(await userinfo())).toEqual({});
  });

  it('gives a person with no roles or groups empty lists, and no attribute or profile claim she has no value for', async () => {
    const { idToken, userinfo } = await signIn('bob@example.com', ALL);
    expect(personClaimsOf(idToken)).toEqual({ roles: [], groups: [] });
    expect(personClaimsOf(await userinfo())).toEqual({ roles: [], groups: [] });
  });
});

describe('roles and groups in access tokens, when the API asks for them', () => {
  it('puts them in a JWT access token and in the introspection answer of an opaque one', async () => {
    const { rp, tokens } = await signIn('ada@example.com', 'openid offline_access read', JWT_API);
    const forLedger = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string, { resource: JWT_API });
    expect(decodeJwt(forLedger.access_token)).toMatchObject({
      scope: 'read',
      roles: ['auditor', 'editor'],
      groups: ['finance'],
    });
    // The app may use the opaque API only after its own sign-in asked for it (RFC 8707 §2.2).
    const second = await signIn('ada@example.com', 'openid offline_access read', OPAQUE_API);
    const forPayroll = await oidc.refreshTokenGrant(second.rp.config, second.tokens.refresh_token as string, {
      resource: OPAQUE_API,
    });
    const answer = await postForm(server.url, '/token/introspection', payroll, { token: forPayroll.access_token });
    expect(answer.body).toMatchObject({
      active: true,
      scope: 'read',
      roles: ['auditor', 'editor'],
      groups: ['finance'],
    });
  });
});

describe('removing a role, group, attribute or custom scope', () => {
  it('removes it from the very next userinfo answer and ID token, with no claim left dangling', async () => {
    const { rp, tokens, userinfo } = await signIn('ada@example.com', ALL);
    await rows.removeRole('auditor');
    await rows.removeGroup('finance');
    await rows.removeAttribute('employee_id');
    expect(personClaimsOf(await userinfo())).toMatchObject({ roles: ['editor'], groups: [], department: 'Finance' });
    expect(await userinfo()).not.toHaveProperty('employee_id');

    // A removed scope stops releasing at once on every instance, before any provider is rebuilt.
    await rows.removeClaimScope('hr');
    expect(await userinfo()).not.toHaveProperty('department');
    const refreshed = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string);
    expect(personClaimsOf(refreshed.claims() ?? {})).toEqual({
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      locale: 'en-GB',
      zoneinfo: 'Europe/London',
      phone_number: '+44 20 7946 0000',
      phone_number_verified: true,
      roles: ['editor'],
      groups: [],
    });

    // At the next tick discovery no longer offers it either.
    expect(await server.running.refreshKeys()).toBe(true);
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as {
      scopes_supported: string[];
      claims_supported: string[];
    };
    expect(discovery.scopes_supported).not.toContain('hr');
    expect(discovery.claims_supported).not.toContain('department');
  });
});
