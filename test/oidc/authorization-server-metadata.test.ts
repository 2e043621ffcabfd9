import { startTestServer, type TestServer } from '../support/test-server.js';
import { freePort } from '../support/free-port.js';
import { authorizationServerMetadataPaths } from '../../src/oidc/authorization-server-metadata.js';

const getJson = async (url: string) => {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
};

describe('RFC 8414 authorization server metadata', () => {
  describe('with registration and metadata documents off (the default)', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('is served at /.well-known/oauth-authorization-server with the same values as OpenID discovery', async () => {
      const oauth = await getJson(`${server.url}/.well-known/oauth-authorization-server`);
      const openid = await getJson(`${server.url}/.well-known/openid-configuration`);
      expect(oauth.status).toBe(200);
      expect(oauth.type).toMatch(/application\/json/);
      expect(oauth.body).toEqual(openid.body);
      expect(oauth.body.issuer).toBe(server.url);
      expect(oauth.body.code_challenge_methods_supported).toEqual(['S256']);
      expect(oauth.body.authorization_response_iss_parameter_supported).toBe(true);
    });

    it('names no registration endpoint and no metadata document support while those are off', async () => {
      const { body } = await getJson(`${server.url}/.well-known/oauth-authorization-server`);
      expect(body).not.toHaveProperty('registration_endpoint');
      expect(body).not.toHaveProperty('client_id_metadata_document_supported');
      const registration = await fetch(`${server.url}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: ['https://app.example/cb'] }),
      });
      expect(registration.status).toBe(404);
    });
  });

  describe('with registration and metadata documents on', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ CLIENT_REGISTRATION: 'open', CLIENT_ID_METADATA_DOCUMENTS: 'on' });
    });
    afterAll(async () => {
      await server.close();
    });

    it('names the registration endpoint and metadata document support, as discovery does', async () => {
      const oauth = await getJson(`${server.url}/.well-known/oauth-authorization-server`);
      const openid = await getJson(`${server.url}/.well-known/openid-configuration`);
      expect(oauth.body).toEqual(openid.body);
      expect(oauth.body.registration_endpoint).toBe(`${server.url}/reg`);
      expect(oauth.body.client_id_metadata_document_supported).toBe(true);
    });
  });

  it('is served after the well-known suffix with the issuer path, for an issuer with a path, naming that issuer', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}/tenant`;
    const server = await startTestServer({ PORT: String(port), ISSUER: issuer });
    try {
      const { status, body } = await getJson(`http://127.0.0.1:${port}/.well-known/oauth-authorization-server/tenant`);
      expect(status).toBe(200);
      expect(body.issuer).toBe(issuer);
      expect(body.authorization_endpoint).toBe(`${issuer}/auth`);
    } finally {
      await server.close();
    }
  });

  it('puts the issuer path after the well-known suffix for an issuer with a path (RFC 8414 §3.1)', () => {
    expect(authorizationServerMetadataPaths('https://id.example.com/tenant/one')).toEqual([
      '/.well-known/oauth-authorization-server/tenant/one',
      '/.well-known/oauth-authorization-server',
    ]);
    expect(authorizationServerMetadataPaths('https://id.example.com')).toEqual([
      '/.well-known/oauth-authorization-server',
    ]);
  });
});
