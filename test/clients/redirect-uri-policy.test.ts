import { useCliDatabase } from '../support/use-cli-database.js';
import { gatehouse } from '../support/run-gatehouse.js';

const cli = useCliDatabase();

const add = (...argv: string[]) => gatehouse(cli.env, 'client', 'add', '--name', 'App', ...argv);

describe('redirect URIs of web clients (RFC 9700 §2.1, OAuth 2.1 §2.3.1: https, loopback aside)', () => {
  it('refuses plain http to any other host, saying what to use instead', async () => {
    const json = await add('--redirect-uri', 'http://app.example.com/cb', '--json');
    expect(json.code).toBe(1);
    expect(json.json()).toEqual({
      error: {
        code: 'ERR_CLIENT_INVALID',
        message:
          'redirect URI http://app.example.com/cb must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])',
      },
    });
    const text = await add('--redirect-uri', 'https://app.example.com/cb', '--redirect-uri', 'http://10.0.0.5/cb');
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('redirect URI http://10.0.0.5/cb must use https');
    const listed = (await gatehouse(cli.env, 'client', 'list', '--json')).json<{ clients: { client_name: string }[] }>()
      .clients;
    // No client was added: no server has started, and the CLI without ISSUER makes no management API (nor its client).
    expect(listed).toEqual([]);
  });

  it.each(['https://app.example.com/cb', 'http://localhost:8080/cb', 'http://127.0.0.1:9000/cb', 'http://[::1]/cb'])(
    'accepts %s',
    async (uri) => {
      expect((await add('--redirect-uri', uri, '--json')).code).toBe(0);
    },
  );

  it('leaves native apps to RFC 8252 (§7.3, §8.3) as the provider enforces it: http on loopback only', async () => {
    const native = ['--application-type', 'native', '--auth-method', 'none'];
    expect((await add(...native, '--redirect-uri', 'http://127.0.0.1/callback', '--json')).code).toBe(0);
    const refused = await add(...native, '--redirect-uri', 'http://app.example.com/cb', '--json');
    expect(refused.code).toBe(1);
    expect(refused.json()).toMatchObject({
      error: { code: 'ERR_CLIENT_INVALID', message: expect.stringMatching(/loopback/) },
    });
  });
});

describe('post-logout redirect URIs (OIDC RP-Initiated Logout 1.0 §3: the same https-or-loopback rule)', () => {
  const WEB_APP = ['--redirect-uri', 'https://app.example.com/cb'];

  it('are refused over plain http to another host when a client is added, and nothing is registered', async () => {
    const count = async () =>
      (await gatehouse(cli.env, 'client', 'list', '--json')).json<{ clients: unknown[] }>().clients.length;
    const before = await count();
    const refused = await add(...WEB_APP, '--post-logout-redirect-uri', 'http://app.example.com/bye', '--json');
    expect(refused.code).toBe(1);
    expect(refused.json()).toEqual({
      error: {
        code: 'ERR_CLIENT_INVALID',
        message:
          'post-logout redirect URI http://app.example.com/bye must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])',
      },
    });
    expect(await count()).toBe(before);
  });

  it('are refused over plain http to another host when a client is updated, and the client keeps its own', async () => {
    const { client_id } = (
      await add(...WEB_APP, '--post-logout-redirect-uri', 'https://app.example.com/bye', '--json')
    ).json<{ client_id: string }>();
    const refused = await gatehouse(
      cli.env,
      'client',
      'update',
      '--client-id',
      client_id,
      '--post-logout-redirect-uri',
      'http://10.0.0.5/bye',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('post-logout redirect URI http://10.0.0.5/bye must use https');
    const shown = (await gatehouse(cli.env, 'client', 'show', '--client-id', client_id, '--json')).json<{
      post_logout_redirect_uris: string[];
    }>();
    expect(shown.post_logout_redirect_uris).toEqual(['https://app.example.com/bye']);
  });

  it.each([
    'https://app.example.com/bye',
    'http://localhost:8080/bye',
    'http://127.0.0.1:9000/bye',
    'http://[::1]/bye',
  ])('accept %s', async (uri) => {
    expect((await add(...WEB_APP, '--post-logout-redirect-uri', uri, '--json')).code).toBe(0);
  });
});
