import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { MFA_ACR, PASSWORD_ACR } from '../../src/mfa/authentication-context.js';

const REDIRECT = 'https://wiki.example/cb';
const EMAIL = 'alan@example.com';
const PASSWORD = 'correct horse battery staple';

let server: TestServer;
let wiki: Awaited<ReturnType<typeof relyingParty>>;

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  // Alan has no authenticator app, and the adaptive policy never asks someone without one on its own.
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  const client = await gatehouseJson<{ client_id: string; client_secret: string }>(
    env,
    'client',
    'add',
    '--name',
    'Wiki',
    '--redirect-uri',
    REDIRECT,
    '--first-party',
  );
  wiki = await relyingParty(server.config.issuer, client, REDIRECT);
});

afterAll(async () => {
  await server.close();
});

/** Signs Alan in with the password, in a fresh browser, for a request with these parameters. */
async function signIn(params: Record<string, string>) {
  const request = await wiki.authorizationRequest(params);
  return {
    request,
    ...(await walkAuthorization(new UserAgent(server.url), request.url, { email: EMAIL, password: PASSWORD })),
  };
}

const essentialAcr = (acr: Record<string, unknown>) =>
  JSON.stringify({ id_token: { acr: { essential: true, ...acr } } });

describe('acr_values is a preference list; an essential acr claim is a demand (OIDC Core §3.1.2.1, §5.5.1.1)', () => {
  it('asks for the second step when the MFA ACR is the only value listed (here: set it up first)', async () => {
    const { callback, page } = await signIn({ acr_values: MFA_ACR });
    expect(callback).toBeUndefined();
    expect(await page?.text()).toContain('Set up two-step verification');
  });

  it('forces no second step when the password ACR comes first and the MFA ACR second, and says password in the token', async () => {
    const { callback, request } = await signIn({ acr_values: `${PASSWORD_ACR} ${MFA_ACR}` });
    expect(callback).toBeDefined();
    const tokens = await wiki.redeem(callback as URL, request);
    expect(decodeJwt(tokens.id_token as string)).toMatchObject({ acr: PASSWORD_ACR, amr: ['pwd'] });
  });

  it('forces no second step when the MFA ACR is preferred but the password ACR is acceptable too', async () => {
    const { callback } = await signIn({ acr_values: `${MFA_ACR} ${PASSWORD_ACR}` });
    expect(callback).toBeDefined();
  });

  it('asks for the second step when an essential acr claim names the MFA ACR', async () => {
    const { callback, page } = await signIn({ claims: essentialAcr({ value: MFA_ACR }) });
    expect(callback).toBeUndefined();
    expect(await page?.text()).toContain('Set up two-step verification');
  });

  it('forces nothing for an essential acr claim that accepts the password ACR as well', async () => {
    const { callback } = await signIn({ claims: essentialAcr({ values: [PASSWORD_ACR, MFA_ACR] }) });
    expect(callback).toBeDefined();
  });
});
