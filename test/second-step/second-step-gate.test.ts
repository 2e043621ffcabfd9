import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { MFA_ACR, PASSWORD_ACR, PHISHING_RESISTANT_ACR } from '../../src/mfa/authentication-context.js';

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

describe('the phishing-resistant ACR: only a passkey meets it, and it meets requests for the MFA ACR', () => {
  const PHR = PHISHING_RESISTANT_ACR;

  it('is advertised in discovery, strongest last', async () => {
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as {
      acr_values_supported: string[];
    };
    expect(discovery.acr_values_supported).toEqual([PASSWORD_ACR, MFA_ACR, PHR]);
  });

  it('stops a sign-in demanding it for an account without a passkey at a page that says so, offers no code form, and goes back to the app as access_denied', async () => {
    const agent = new UserAgent(server.url);
    const request = await wiki.authorizationRequest({ acr_values: PHR });
    const { callback, page } = await walkAuthorization(agent, request.url, { email: EMAIL, password: PASSWORD });
    expect(callback).toBeUndefined();
    const text = (await page?.text()) as string;
    expect(text).toContain('A passkey is required');
    expect(text).toContain('the app asked for a passkey');
    expect(text).not.toContain('name="code"');
    const uid = /action="\/interaction\/([^/]+)\/abort"/.exec(text)?.[1] as string;

    // A code typed into the step anyway (a hand-made form) is refused: it cannot meet the demand.
    const code = await agent.post(`/interaction/${uid}/mfa`, { code: '123456' });
    expect(code.status).toBe(400);
    expect(await code.text()).toContain('only a passkey does');

    const back = await agent.follow(await agent.post(`/interaction/${uid}/abort`, {}));
    const denied = new URL(back.headers.get('location') as string);
    expect(denied.searchParams.get('error')).toBe('access_denied');
  });

  it('demands a passkey through an essential acr claim whose only value is the phishing-resistant ACR', async () => {
    const { page } = await signIn({ claims: essentialAcr({ values: [PHR] }) });
    expect(await page?.text()).toContain('A passkey is required');
  });

  it('demands only MFA (which an app code meets) when the MFA ACR is acceptable too, in either order', async () => {
    for (const acr_values of [`${PHR} ${MFA_ACR}`, `${MFA_ACR} ${PHR}`]) {
      const { page } = await signIn({ acr_values });
      expect(await page?.text()).toContain('Set up two-step verification');
    }
  });

  it('with prompt=none, refuses a session with an app code as interaction_required, while the MFA ACR passes', async () => {
    // Ada sets up an authenticator app inside a sign-in demanding MFA: her session has `otp` and `mfa`.
    const email = 'ada@example.com';
    await gatehouse({ DATABASE_URL: server.database.url }, 'user', 'add', '--email', email, '--password', PASSWORD);
    const agent = new UserAgent(server.url);
    const first = await wiki.authorizationRequest({ acr_values: MFA_ACR });
    const { page } = await walkAuthorization(agent, first.url, { email, password: PASSWORD });
    const html = (await page?.text()) as string;
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(html)?.[1] as string;
    const uid = /action="\/interaction\/([^/]+)\//.exec(html)?.[1] as string;
    const done = await agent.post(`/interaction/${uid}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) });
    const continueTo = /class="button" href="([^"]+)"/.exec(await done.text())?.[1] as string;
    const firstCallback = await walkAuthorization(agent, new URL(continueTo.replace(/&amp;/g, '&'), server.url));
    const tokens = await wiki.redeem(firstCallback.callback as URL, first);
    expect(decodeJwt(tokens.id_token as string)).toMatchObject({ acr: MFA_ACR, amr: ['pwd', 'otp', 'mfa'] });

    const mfa = await walkAuthorization(
      agent,
      (await wiki.authorizationRequest({ prompt: 'none', acr_values: MFA_ACR })).url,
    );
    expect(mfa.callback?.searchParams.get('code')).toBeTruthy();

    const phr = await walkAuthorization(
      agent,
      (await wiki.authorizationRequest({ prompt: 'none', acr_values: PHR })).url,
    );
    expect(phr.callback?.searchParams.get('error')).toBe('interaction_required');
  });
});
