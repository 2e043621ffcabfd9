import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';

let server: TestServer;
let env: Record<string, string>;
const REDIRECT = 'https://app.shop.example/callback';
const LOGO = 'https://cdn.shop.example/logo.png';

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(
    env,
    'user',
    'add',
    '--email',
    'ada@example.com',
    '--password',
    'analytical engine 1843',
    '--email-verified',
  );
});

afterAll(async () => {
  await server.close();
});

describe('an app registered with its logo and links', () => {
  it('is refused an http logo, with the field named, and registered once the operator gives https', async () => {
    const mistake = await gatehouse(
      env,
      'client',
      'add',
      '--name',
      'Shop',
      '--redirect-uri',
      REDIRECT,
      '--logo-uri',
      'http://cdn.shop.example/logo.png',
      '--json',
    );
    expect(mistake.code).not.toBe(0);
    expect(mistake.json<{ error: { code: string; message: string } }>().error).toEqual({
      code: 'ERR_CLIENT_INVALID',
      message: 'logo_uri must be an https URL, not http://cdn.shop.example/logo.png',
    });

    const added = await gatehouse(
      env,
      'client',
      'add',
      '--name',
      'Shop',
      '--redirect-uri',
      REDIRECT,
      '--logo-uri',
      LOGO,
      '--policy-uri',
      'https://shop.example/privacy',
      '--tos-uri',
      'https://shop.example/terms',
      '--client-uri',
      'https://shop.example/',
      '--json',
    );
    expect(added.code).toBe(0);
    const client = added.json<{ client_id: string; client_secret: string }>();
    const shown = (await gatehouse(env, 'client', 'show', '--client-id', client.client_id, '--json')).json();
    expect(shown).toMatchObject({
      logo_uri: LOGO,
      policy_uri: 'https://shop.example/privacy',
      tos_uri: 'https://shop.example/terms',
      client_uri: 'https://shop.example/',
    });

    // The consent page a person reaches through a real relying party's request.
    const rp = await relyingParty(server.config.issuer, client, REDIRECT);
    const agent = new UserAgent(server.url);
    const request = await rp.authorizationRequest();
    const { page } = await walkAuthorization(agent, request.url, {
      email: 'ada@example.com',
      password: 'analytical engine 1843',
    });
    const html = (await page?.clone().text()) ?? '';
    expect(html).toContain('<strong>Shop</strong> wants access to your account');
    expect(html).toContain(`<img class="app-logo" src="${LOGO}" alt="Shop logo" width="64" height="64">`);
    expect(html).toContain('If you allow it, you will be sent to <strong>app.shop.example</strong>.');
    expect(html).toContain('<a href="https://shop.example/">Shop website</a>');
    expect(html).toContain('<a href="https://shop.example/privacy">Shop privacy policy</a>');
    expect(html).toContain('<a href="https://shop.example/terms">Shop terms of service</a>');
    // The page may load an image from the logo's origin, and from no other.
    const csp = page?.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' data: https://cdn.shop.example;");
    expect(csp).not.toContain('unsafe-inline');

    const { callback } = await walkAuthorization(agent, request.url, { consent: 'allow' });
    expect(callback?.origin).toBe('https://app.shop.example');
  });

  it('keeps every other page to images of its own origin', async () => {
    const agent = new UserAgent(server.url);
    const res = await agent.get('/session/end');
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' data:;");
  });

  it('loses a link given as "" on update, and an http one is refused naming its field', async () => {
    const { client_id: id } = (
      await gatehouse(
        env,
        'client',
        'add',
        '--name',
        'Notes',
        '--redirect-uri',
        REDIRECT,
        '--tos-uri',
        'https://notes.example/tos',
        '--json',
      )
    ).json<{ client_id: string }>();
    const refused = await gatehouse(
      env,
      'client',
      'update',
      '--client-id',
      id,
      '--policy-uri',
      'http://notes.example/p',
      '--json',
    );
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/^policy_uri must be an https URL/);
    const updated = await gatehouse(
      env,
      'client',
      'update',
      '--client-id',
      id,
      '--tos-uri',
      '',
      '--policy-uri',
      'https://notes.example/p',
      '--json',
    );
    expect(updated.code).toBe(0);
    const shown = (await gatehouse(env, 'client', 'show', '--client-id', id, '--json')).json();
    expect(shown.tos_uri).toBeUndefined();
    expect(shown.policy_uri).toBe('https://notes.example/p');
  });
});
