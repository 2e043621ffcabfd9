import { createServer, type Server } from 'node:http';
import { createGuardedFetch } from '../../src/oidc/guarded-fetch.js';
import { freePort } from '../support/free-port.js';

let server: Server;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  server = createServer((_req, res) => res.end('{"issuer":"here"}'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${port}/.well-known/openid-configuration`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('calls to other identity providers go through the SSRF guard', () => {
  it('refuses a loopback address by default', async () => {
    const refused = await createGuardedFetch(false)(url, { method: 'GET' }).catch((error: unknown) => error);
    expect(String((refused as { cause?: unknown }).cause)).toContain('special-use IP address');
  });

  it('reaches it with OUTBOUND_ALLOW_PRIVATE_NETWORKS on', async () => {
    const response = await createGuardedFetch(true)(url, { method: 'GET' });
    expect(await response.json()).toEqual({ issuer: 'here' });
  });

  it('gives up on a provider that does not answer within the deadline', async () => {
    const port = await freePort();
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      await expect(createGuardedFetch(true, 200)(`http://127.0.0.1:${port}/`, { method: 'GET' })).rejects.toThrow();
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
