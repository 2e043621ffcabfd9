import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import { postForm } from '../support/token-endpoint.js';
import { burst } from '../support/burst.js';

let api: AdminApiHarness;
const LIMIT = 20;

beforeAll(async () => {
  api = await startAdminApi({ ADMIN_API_RATE_LIMIT: String(LIMIT) });
});

afterAll(async () => {
  await api.close();
});

async function dpopKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  return (htm: string, htu: string, accessToken?: string) =>
    new SignJWT({
      htm,
      htu,
      jti: randomUUID(),
      ...(accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .setIssuedAt()
      .sign(privateKey);
}

describe('DPoP-bound management tokens (RFC 9449)', () => {
  it('takes a bound token with a proof for this request, and refuses it as Bearer or with a proof for another URL', async () => {
    const proof = await dpopKey();
    const client = await api.newClient();
    const issued = await postForm(
      api.server.url,
      '/token',
      client,
      { grant_type: 'client_credentials', resource: api.identifier },
      { dpop: await proof('POST', `${api.server.url}/token`) },
    );
    expect(issued.body.token_type).toBe('DPoP');
    const token = issued.body.access_token as string;
    const asBearer = await api.call('GET', '/users', { token });
    expect(asBearer.status).toBe(401);
    const wrongUrl = await api.call('GET', '/users', {
      headers: { authorization: `DPoP ${token}`, dpop: await proof('GET', `${api.base}/keys`, token) },
    });
    expect(wrongUrl.status).toBe(401);
    expect(wrongUrl.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
    const good = await api.call('GET', '/users', {
      headers: { authorization: `DPoP ${token}`, dpop: await proof('GET', `${api.base}/users`, token) },
    });
    expect(good.status).toBe(200);
  });
});

describe('the rate limit per client', () => {
  it('counts a parallel burst exactly: the limit is answered, the rest get 429 with Retry-After', async () => {
    const token = await api.token('admin:read');
    const { port } = new URL(api.server.url);
    const answers = await burst(
      `http://127.0.0.1:${port}`,
      Array.from({ length: LIMIT + 10 }, () => ({
        method: 'GET',
        path: '/admin/api/v1/keys',
        headers: { authorization: `Bearer ${token}` },
      })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const refused = answers.find((a) => a.status === 429);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is counted apart.
    expect((await api.call('GET', '/keys', { token: await api.token('admin:read') })).status).toBe(200);
  });
});
