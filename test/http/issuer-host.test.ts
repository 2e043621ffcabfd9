import { startTestServer, type TestServer } from '../support/test-server.js';
import { rawRequest } from '../support/raw-request.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

const DISCOVERY = '/.well-known/openid-configuration';
const port = () => new URL(server.url).port;

describe("requests addressed to a host other than the issuer's (RFC 9110 §15.5.20, RFC 9700 §4.1)", () => {
  it('get 421 with an OAuth-style JSON error, not discovery metadata naming the forged host', async () => {
    const res = await rawRequest(`${server.url}${DISCOVERY}`, { headers: { host: 'evil.example' } });
    expect(res.status).toBe(421);
    expect(res.body).toEqual({
      error: 'misdirected_request',
      error_description: `This server answers only as ${server.config.issuer}. Send the request to that address.`,
    });
    expect(res.text).not.toContain('evil.example');
  });

  it('get a readable page in a browser', async () => {
    const res = await rawRequest(`${server.url}/auth?client_id=x`, {
      headers: { host: `evil.example:${port()}`, accept: 'text/html' },
    });
    expect(res.status).toBe(421);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain(server.config.issuer);
  });

  it("include the issuer's host on another port, and the token endpoint", async () => {
    expect((await rawRequest(`${server.url}${DISCOVERY}`, { headers: { host: '127.0.0.1:1' } })).status).toBe(421);
    const token = await rawRequest(`${server.url}/token`, {
      method: 'POST',
      headers: { host: 'evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(421);
  });

  it("do not include the issuer's own host", async () => {
    const res = await rawRequest(`${server.url}${DISCOVERY}`, { headers: { host: `127.0.0.1:${port()}` } });
    expect(res.status).toBe(200);
    expect(res.body.token_endpoint).toBe(`${server.config.issuer}/token`);
  });

  it('leave /healthz and /readyz answering whatever the Host, as orchestrator probes address the pod by IP', async () => {
    expect((await rawRequest(`${server.url}/healthz`, { headers: { host: '10.1.2.3:3000' } })).status).toBe(200);
    expect((await rawRequest(`${server.url}/readyz`, { headers: { host: '10.1.2.3:3000' } })).status).toBe(200);
  });

  it('ignore X-Forwarded-Host unless the proxy is trusted', async () => {
    const res = await rawRequest(`${server.url}${DISCOVERY}`, {
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer: server.config.issuer,
      token_endpoint: `${server.config.issuer}/token`,
      jwks_uri: `${server.config.issuer}/jwks`,
    });
  });
});

describe('behind a trusted proxy (TRUST_PROXY=true)', () => {
  it("refuses a forwarded host other than the issuer's, and builds every endpoint from the issuer even when the forwarded scheme is wrong", async () => {
    await server.stop(); // afterAll still drops the database
    const proxied = await startTestServer({ TRUST_PROXY: 'true', ISSUER: 'https://id.example.test' }, server.database);
    try {
      const misdirected = await rawRequest(`${proxied.url}${DISCOVERY}`, {
        headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      });
      expect(misdirected.status).toBe(421);

      const res = await rawRequest(`${proxied.url}${DISCOVERY}`, {
        headers: { 'x-forwarded-host': 'ID.example.test:443', 'x-forwarded-proto': 'http' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        issuer: 'https://id.example.test',
        authorization_endpoint: 'https://id.example.test/auth',
        token_endpoint: 'https://id.example.test/token',
        jwks_uri: 'https://id.example.test/jwks',
      });
    } finally {
      await proxied.stop();
    }
  });
});
