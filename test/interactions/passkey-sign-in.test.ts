import { decodeJwt } from 'jose';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { createSoftwareAuthenticator, type SoftwareAuthenticator } from '../support/software-authenticator.js';
import { openContainer } from '../../src/cli/open-container.js';
import { PHISHING_RESISTANT_ACR } from '../../src/mfa/authentication-context.js';

const REDIRECT = 'https://app.example/cb';
const PASSWORD = 'correct horse battery staple';
type Rp = Awaited<ReturnType<typeof relyingParty>>;
type Request = Awaited<ReturnType<Rp['authorizationRequest']>>;

let server: TestServer;
let env: Record<string, string>;
let wiki: Rp;
let payroll: Rp;

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  const add = (name: string, ...extra: string[]) =>
    gatehouseJson<{ client_id: string; client_secret: string }>(
      env,
      'client',
      'add',
      '--name',
      name,
      '--redirect-uri',
      REDIRECT,
      '--first-party',
      ...extra,
    );
  wiki = await relyingParty(server.config.issuer, await add('Wiki'), REDIRECT);
  payroll = await relyingParty(server.config.issuer, await add('Payroll', '--mfa', 'always'), REDIRECT);
});

afterAll(async () => {
  await server.close();
});

/** A person with a password and a passkey made by `authenticator` (registered through the service, as the console does). */
async function personWithPasskey(email: string, authenticator: SoftwareAuthenticator) {
  await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
  const container = await openContainer(server.config, { readOnly: false });
  try {
    const account = await container.accounts.requireByEmail(email);
    const owner = { id: account.id, email: account.email };
    const options = await container.passkeys.beginRegistration(owner, 'test-registration');
    const { passkey } = await container.passkeys.finishRegistration(
      owner,
      'test-registration',
      authenticator.register(options),
      { by: 'user' },
      'Test key',
    );
    return { accountId: account.id, passkeyId: passkey.id };
  } finally {
    await container.close();
  }
}

const authenticatorFor = (opts: { userVerified?: boolean; backedUp?: boolean } = {}) =>
  createSoftwareAuthenticator({ origin: server.url, rpId: new URL(server.url).hostname, ...opts });

const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;

/** The options the page's script would fetch for this interaction. */
async function optionsFor(agent: UserAgent, uid: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const res = await agent.post(`/interaction/${uid}/passkey/options`, {}, { accept: 'application/json' });
  expect(res.status).toBe(200);
  return (await res.json()) as PublicKeyCredentialRequestOptionsJSON;
}

async function finish(agent: UserAgent, rp: Rp, request: Request, res: Response) {
  const final = await agent.follow(res);
  expect(final.status).toBe(303);
  const tokens = await rp.redeem(final.headers.get('location') as string, request);
  return decodeJwt(tokens.id_token as string);
}

async function mfaDecisions(email: string) {
  const audit = await gatehouseJson<{
    events: Array<{ type: string; reason: string; detail: Record<string, unknown> }>;
  }>(env, 'audit', '--email', email, '--limit', '200');
  return audit.events.filter((e) => e.type === 'mfa.decision');
}

describe('passwordless: "Sign in with a passkey" on the sign-in page', () => {
  it('offers the passkey button and autofill (autocomplete="username webauthn"), and allows exactly its script by hash', async () => {
    const agent = new UserAgent(server.url);
    const login = await agent.follow(await agent.get((await wiki.authorizationRequest()).url));
    const page = await login.text();
    expect(page).toContain('Sign in with a passkey');
    expect(page).toContain('autocomplete="username webauthn"');
    const integrity = /<script src="\/assets\/passkey-sign-in\.js\?v=[0-9a-f]+" integrity="(sha384-[^"]+)"/.exec(
      page,
    )?.[1];
    expect(login.headers.get('content-security-policy')).toContain(`script-src '${integrity}'`);
    // The password form still stands on its own, for browsers without JavaScript.
    expect(page).toMatch(/<form method="post" action="\/interaction\/[^/]+\/login"/);
  });

  it('signs in with a discoverable passkey and user verification: no email, no password, no second step; the ID token says hwk user mfa and the phishing-resistant ACR', async () => {
    const key = authenticatorFor();
    await personWithPasskey('lin@example.com', key);
    const agent = new UserAgent(server.url);
    // Payroll demands MFA of everyone (--mfa always): the passkey meets it by itself.
    const request = await payroll.authorizationRequest();
    const uid = uidIn(await (await agent.follow(await agent.get(request.url))).text());
    const options = await optionsFor(agent, uid);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.rpId).toBe(new URL(server.url).hostname);

    const signedIn = await agent.post(`/interaction/${uid}/login/passkey`, {
      response: JSON.stringify(key.authenticate(options)),
    });
    const claims = await finish(agent, payroll, request, signedIn);
    expect(claims).toMatchObject({ acr: PHISHING_RESISTANT_ACR, amr: ['hwk', 'user', 'mfa'] });
    expect(await mfaDecisions('lin@example.com')).toEqual([
      expect.objectContaining({ reason: 'skipped', detail: expect.objectContaining({ method: 'passkey' }) }),
    ]);
  });

  it('says swk for a synced passkey', async () => {
    const key = authenticatorFor({ backedUp: true });
    await personWithPasskey('sam@example.com', key);
    const agent = new UserAgent(server.url);
    const request = await wiki.authorizationRequest();
    const uid = uidIn(await (await agent.follow(await agent.get(request.url))).text());
    const signedIn = await agent.post(`/interaction/${uid}/login/passkey`, {
      response: JSON.stringify(key.authenticate(await optionsFor(agent, uid))),
    });
    expect(await finish(agent, wiki, request, signedIn)).toMatchObject({
      acr: PHISHING_RESISTANT_ACR,
      amr: ['swk', 'user', 'mfa'],
    });
  });

  it('refuses a passkey without user verification with a message that says why and what to do; the second try with verification signs in', async () => {
    const key = authenticatorFor();
    await personWithPasskey('una@example.com', key);
    const agent = new UserAgent(server.url);
    const request = await wiki.authorizationRequest();
    const uid = uidIn(await (await agent.follow(await agent.get(request.url))).text());

    const unverified = await agent.post(`/interaction/${uid}/login/passkey`, {
      response: JSON.stringify(key.authenticate(await optionsFor(agent, uid), { userVerified: false })),
    });
    expect(unverified.status).toBe(401);
    const page = await unverified.text();
    expect(page).toContain('did not check that it is you');
    expect(page).toContain('Sign in with a passkey');

    const verified = await agent.post(`/interaction/${uid}/login/passkey`, {
      response: JSON.stringify(key.authenticate(await optionsFor(agent, uid))),
    });
    expect((await finish(agent, wiki, request, verified)).acr).toBe(PHISHING_RESISTANT_ACR);
  });

  it('answers an unknown passkey and a removed one alike, without saying which, and signs in neither', async () => {
    const key = authenticatorFor();
    const { accountId, passkeyId } = await personWithPasskey('vic@example.com', key);
    const container = await openContainer(server.config, { readOnly: false });
    await container.passkeys.remove(accountId, passkeyId, { by: 'user' });
    await container.close();

    const stranger = authenticatorFor();
    stranger.register({
      challenge: 'AAAA',
      rp: { id: new URL(server.url).hostname, name: 'x' },
      user: { id: 'dXNlcg', name: 'nobody', displayName: 'nobody' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    });
    const messages: string[] = [];
    for (const authenticator of [key, stranger]) {
      const agent = new UserAgent(server.url);
      const uid = uidIn(await (await agent.follow(await agent.get((await wiki.authorizationRequest()).url))).text());
      const refused = await agent.post(`/interaction/${uid}/login/passkey`, {
        response: JSON.stringify(authenticator.authenticate(await optionsFor(agent, uid))),
      });
      expect(refused.status).toBe(401);
      messages.push(/<p class="alert" role="alert">([^<]+)<\/p>/.exec(await refused.text())?.[1] as string);
    }
    expect(messages[0]).toBeTruthy();
    expect(messages[1]).toBe(messages[0]);
  });

  it('refuses a post without an assertion (no JavaScript, or a hand-made form) with a readable page', async () => {
    const agent = new UserAgent(server.url);
    const uid = uidIn(await (await agent.follow(await agent.get((await wiki.authorizationRequest()).url))).text());
    const empty = await agent.post(`/interaction/${uid}/login/passkey`, { response: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Your browser sent no passkey');
    const garbage = await agent.post(`/interaction/${uid}/login/passkey`, { response: '{"id":' });
    expect(garbage.status).toBe(400);
  });
});

describe('"Use a passkey" as the second step', () => {
  it('is offered after the password to someone with a passkey and no app (no code field, recovery codes still); a wrong assertion is refused, the right one gives the phishing-resistant ACR and the audit says a passkey was used', async () => {
    const key = authenticatorFor();
    await personWithPasskey('wim@example.com', key);
    const agent = new UserAgent(server.url);
    const request = await payroll.authorizationRequest();
    const login = await agent.follow(await agent.get(request.url));
    const uid = uidIn(await login.text());
    const second = await agent.follow(
      await agent.post(`/interaction/${uid}/login`, { email: 'wim@example.com', password: PASSWORD }),
    );
    const page = await second.text();
    // The second step is an interaction of its own (the `mfa` prompt).
    const step = uidIn(page);
    expect(page).toContain('Use a passkey');
    expect(page).not.toContain('name="code"');
    expect(page).toContain('Use a recovery code instead');
    const options = await optionsFor(agent, step);
    expect(options.allowCredentials?.map((c) => c.id)).toEqual(key.credentialIds());

    // The person's mistake: an assertion made for another site (a phishing page's origin).
    const phished = await agent.post(`/interaction/${step}/mfa/passkey`, {
      response: JSON.stringify(key.authenticate(options, { origin: 'https://gatehouse.example.evil' })),
    });
    expect(phished.status).toBe(401);
    expect(await phished.text()).toContain('Use a passkey');

    const verified = await agent.post(`/interaction/${step}/mfa/passkey`, {
      response: JSON.stringify(key.authenticate(await optionsFor(agent, step), { userVerified: false })),
    });
    expect(await finish(agent, payroll, request, verified)).toMatchObject({
      acr: PHISHING_RESISTANT_ACR,
      amr: ['pwd', 'hwk', 'user', 'mfa'],
    });
    expect(await mfaDecisions('wim@example.com')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: 'asked',
          detail: expect.objectContaining({ method: 'passkey' }),
        }),
      ]),
    );
  });

  it('after a password and a passkey, prompt=none for the phishing-resistant ACR passes without a page', async () => {
    const key = authenticatorFor();
    await personWithPasskey('xia@example.com', key);
    const agent = new UserAgent(server.url);
    // A password-only session in Wiki (no risk asked for more: the adaptive policy asks a new browser, so answer it).
    const plain = await wiki.authorizationRequest();
    const uid = uidIn(await (await agent.follow(await agent.get(plain.url))).text());
    const afterPassword = await agent.follow(
      await agent.post(`/interaction/${uid}/login`, { email: 'xia@example.com', password: PASSWORD }),
    );
    // The second step is an interaction of its own (the `mfa` prompt).
    const step = uidIn(await afterPassword.text());
    const firstStep = await agent.post(`/interaction/${step}/mfa/passkey`, {
      response: JSON.stringify(key.authenticate(await optionsFor(agent, step))),
    });
    await finish(agent, wiki, plain, firstStep);

    const silent = await wiki.authorizationRequest({ prompt: 'none', acr_values: PHISHING_RESISTANT_ACR });
    const answer = await agent.follow(await agent.get(silent.url));
    expect(new URL(answer.headers.get('location') as string).searchParams.get('code')).toBeTruthy();
  });

  it('offers only the passkey when the app demands the phishing-resistant ACR, and no code is accepted there', async () => {
    const key = authenticatorFor();
    await personWithPasskey('yan@example.com', key);
    const agent = new UserAgent(server.url);
    const request = await wiki.authorizationRequest({ acr_values: PHISHING_RESISTANT_ACR });
    const uid = uidIn(await (await agent.follow(await agent.get(request.url))).text());
    const page = await (
      await agent.follow(
        await agent.post(`/interaction/${uid}/login`, { email: 'yan@example.com', password: PASSWORD }),
      )
    ).text();
    const step = uidIn(page);
    expect(page).toContain('Sign in with your passkey');
    expect(page).toContain('the app asked for a passkey');
    expect(page).not.toContain('name="code"');
    const code = await agent.post(`/interaction/${step}/mfa`, { code: '123456' });
    expect(code.status).toBe(400);
    const verified = await agent.post(`/interaction/${step}/mfa/passkey`, {
      response: JSON.stringify(key.authenticate(await optionsFor(agent, step))),
    });
    expect((await finish(agent, wiki, request, verified)).acr).toBe(PHISHING_RESISTANT_ACR);
  });

  it('writes the passkey-only page in German for ui_locales=de, and the passkey-required page in Japanese for Accept-Language: ja', async () => {
    await personWithPasskey('zoe@example.com', authenticatorFor());
    const german = new UserAgent(server.url);
    const request = await wiki.authorizationRequest({ acr_values: PHISHING_RESISTANT_ACR, ui_locales: 'de' });
    const uid = uidIn(await (await german.follow(await german.get(request.url))).text());
    const page = await (
      await german.follow(
        await german.post(`/interaction/${uid}/login`, { email: 'zoe@example.com', password: PASSWORD }),
      )
    ).text();
    expect(page).toMatch(/<html lang="de" dir="ltr">/);
    expect(page).toContain('<h1>Mit Ihrem Passkey anmelden</h1>');
    expect(page).toMatch(/Grund der Abfrage: die App hat einen Passkey angefordert[^<]*\./);
    expect(page).toContain('>Passkey verwenden</button>');

    // Someone without a passkey is told how to get one, in the browser's Japanese.
    const headers = { 'accept-language': 'ja' };
    await gatehouse(env, 'user', 'add', '--email', 'kai@example.com', '--password', PASSWORD);
    const japanese = new UserAgent(server.url);
    const next = await wiki.authorizationRequest({ acr_values: PHISHING_RESISTANT_ACR });
    let res = await japanese.get(next.url, headers);
    for (let hops = 0; hops < 10 && [302, 303].includes(res.status); hops += 1)
      res = await japanese.get(new URL(res.headers.get('location') as string, japanese.origin), headers);
    const signIn = uidIn(await res.text());
    res = await japanese.post(
      `/interaction/${signIn}/login`,
      { email: 'kai@example.com', password: PASSWORD },
      headers,
    );
    for (let hops = 0; hops < 10 && [302, 303].includes(res.status); hops += 1)
      res = await japanese.get(new URL(res.headers.get('location') as string, japanese.origin), headers);
    const required = await res.text();
    expect(required).toMatch(/<html lang="ja" dir="ltr">/);
    expect(required).toContain('<h1>パスキーが必要です</h1>');
    expect(required).toContain('<a href="/account">アカウント</a>でパスキーを追加してから');
  });
});
