import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import { postForm } from '../support/token-endpoint.js';
import type { Credentials } from '../support/token-endpoint.js';

// PostgreSQL's text cannot hold a NUL character (U+0000): a value with one fails as the statement
// is sent (SQLSTATE 22021). Sent from outside (`%00` in a path, a query or a form field), it is a
// malformed request on either store: 400, never a 500.
let api: AdminApiHarness;
let app: Credentials;
let token: string;

beforeAll(async () => {
  api = await startAdminApi();
  app = await api.newClient();
  token = await api.token();
});

afterAll(async () => {
  await api?.close();
});

describe('a value with a NUL character (U+0000)', () => {
  it('in a management API path or query is refused as the request it is, not a 500', async () => {
    for (const path of ['/users/%00', '/clients/%00', '/resources/%00', '/roles/%00', '/users/%00/sessions']) {
      const answer = await api.call('GET', path, { token });
      // The path in the comparison, so a failure says which one.
      expect({ path, refused: answer.status >= 400 && answer.status < 500 }).toEqual({ path, refused: true });
    }
    const patched = await api.call('PATCH', '/users/%00', {
      token,
      body: { name: 'Ada' },
      headers: { 'if-match': '"x"' },
    });
    expect(patched.status).toBeLessThan(500);
  });

  it('as a client, a refresh token or a logout hint is an OAuth error, not server_error', async () => {
    const asPublicClient = await postForm(
      api.server.url,
      '/token',
      { client_id: '\u0000' },
      { grant_type: 'authorization_code', code: 'x' },
    );
    expect(asPublicClient.status).toBeLessThan(500);
    expect(asPublicClient.body.error).not.toBe('server_error');
    const refresh = await postForm(api.server.url, '/token', app, {
      grant_type: 'refresh_token',
      refresh_token: '\u0000',
    });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).not.toBe('server_error');
    const logout = await fetch(`${api.server.url}/session/end?client_id=%00`);
    expect(logout.status).toBe(400);
    expect(await logout.text()).not.toContain('server_error');
  });
});
