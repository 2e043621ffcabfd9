import { useCliDatabase } from '../support/use-cli-database.js';
import { gatehouse } from '../support/run-gatehouse.js';

const cli = useCliDatabase();

const add = (...argv: string[]) => gatehouse(cli.env, 'client', 'add', '--name', 'App', ...argv);

describe('redirect URIs of web clients (RFC 9700 §2.1, OAuth 2.1 §2.3.1: https, loopback aside)', () => {
  it('refuses plain http to any other host, saying what to use instead', async () => {
    const json = await add('--redirect-uri', 'http://app.example.com/cb', '--json');
    expect(json.code).toBe(1);
    expect(json.json()).toEqual({ error: { code: 'ERR_CLIENT_INVALID', message: 'redirect URI http://app.example.com/cb must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])' } });
    const text = await add('--redirect-uri', 'https://app.example.com/cb', '--redirect-uri', 'http://10.0.0.5/cb');
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('redirect URI http://10.0.0.5/cb must use https');
    const listed = (await gatehouse(cli.env, 'client', 'list', '--json')).json<{ clients: unknown[] }>().clients;
    expect(listed).toHaveLength(0);
  });

  it.each(['https://app.example.com/cb', 'http://localhost:8080/cb', 'http://127.0.0.1:9000/cb', 'http://[::1]/cb'])('accepts %s', async (uri) => {
    expect((await add('--redirect-uri', uri, '--json')).code).toBe(0);
  });

  it('leaves native apps to RFC 8252 (§7.3, §8.3) as the provider enforces it: http on loopback only', async () => {
    const native = ['--application-type', 'native', '--auth-method', 'none'];
    expect((await add(...native, '--redirect-uri', 'http://127.0.0.1/callback', '--json')).code).toBe(0);
    const refused = await add(...native, '--redirect-uri', 'http://app.example.com/cb', '--json');
    expect(refused.code).toBe(1);
    expect(refused.json()).toMatchObject({ error: { code: 'ERR_CLIENT_INVALID', message: expect.stringMatching(/loopback/) } });
  });
});
