import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm } from '../support/token-endpoint.js';
import {
  jsonDocument,
  startMetadataDocumentHost,
  type MetadataDocumentHost,
} from '../support/metadata-document-host.js';

const EMAIL = 'ada@example.com';
const PASSWORD = 'analytical engine 1843';
const REDIRECT = 'https://agent.example/callback';
const MCP = 'https://mcp.example/';
/** How long the slow document takes to arrive: far longer than any fetch may last. */
const SLOW_DOCUMENT_MS = 30_000;

const documentFor = (origin: string, path: string, extra: Record<string, unknown> = {}) => ({
  client_id: `${origin}${path}`,
  client_name: 'Document agent',
  redirect_uris: [REDIRECT],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
  ...extra,
});

let host: MetadataDocumentHost;
let database: TestDatabase;
const servers: ServeProcess[] = [];

async function serve(env: Record<string, string>): Promise<{ url: string; env: Record<string, string> }> {
  const port = (await import('../support/free-port.js')).freePort;
  const p = await port();
  const url = `http://127.0.0.1:${p}`;
  const serverEnv = {
    DATABASE_URL: database.url,
    ISSUER: url,
    PORT: String(p),
    NODE_EXTRA_CA_CERTS: host.caFile,
    CLIENT_ID_METADATA_DOCUMENTS: 'on',
    ...env,
  };
  servers.push(await startServeProcess(serverEnv));
  return { url, env: { DATABASE_URL: database.url, ISSUER: url } };
}

async function authorize(base: string, clientId: string, opts: { consent?: 'allow' } = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = new URL('/auth', base);
  for (const [key, value] of Object.entries({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid tools:read',
    resource: MCP,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 'st',
  }))
    url.searchParams.set(key, value);
  const agent = new UserAgent(base);
  const result = await walkAuthorization(agent, url, { email: EMAIL, password: PASSWORD, ...opts });
  return { ...result, verifier, agent, url };
}

beforeAll(async () => {
  host = await startMetadataDocumentHost({
    '/good': jsonDocument((origin) => documentFor(origin, '/good'), { 'cache-control': 'max-age=600' }),
    '/mismatch': jsonDocument((origin) => documentFor(origin, '/good')),
    '/javascript': jsonDocument((origin) =>
      documentFor(origin, '/javascript', { redirect_uris: ['javascript:alert(1)'] }),
    ),
    '/secret': jsonDocument((origin) => documentFor(origin, '/secret', { grant_types: ['client_credentials'] })),
    '/to-private': (_req, res) => {
      res.writeHead(302, { location: 'http://10.255.255.1/doc' });
      res.end();
    },
    '/slow': (_req, res) => {
      setTimeout(() => res.end('{}'), SLOW_DOCUMENT_MS).unref();
    },
    '/huge': (_req, res, origin) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(documentFor(origin, '/huge', { contacts: Array(2000).fill('someone@agent.example') })));
    },
  });
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await host.close();
  await database.drop();
});

describe('client ID metadata documents (CLIENT_ID_METADATA_DOCUMENTS=on)', () => {
  let base: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    ({ url: base, env } = await serve({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' }));
    await gatehouseJson(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD, '--email-verified');
    await gatehouseJson(
      env,
      'resource',
      'add',
      '--identifier',
      MCP,
      '--scope',
      'tools:read',
      '--dynamic-clients',
      'allow',
    );
  });

  it('signs a person in for a client known only by its document URL, naming the document host at consent, and caches the document', async () => {
    const clientId = `${host.origin}/good`;
    const first = await authorize(base, clientId);
    const page = await first.page?.text();
    expect(page).toContain('not verified by the operator');
    expect(page).toContain(new URL(host.origin).host);
    expect(page).toContain('agent.example');
    const { callback } = await walkAuthorization(first.agent, first.url, { consent: 'allow' });
    const code = callback?.searchParams.get('code') as string;
    // The verifier belongs to the first request; the second walk reused its URL.
    const token = await postForm(
      base,
      '/token',
      { client_id: clientId },
      {
        grant_type: 'authorization_code',
        code,
        code_verifier: first.verifier,
        redirect_uri: REDIRECT,
        resource: MCP,
      },
    );
    expect(token.status).toBe(200);
    expect(decodeJwt(token.body.access_token as string)).toMatchObject({ aud: MCP, client_id: clientId });

    await authorize(base, clientId);
    // Cache-Control: max-age=600 was respected: fetched once for every request since.
    expect(host.hits.get('/good')).toBe(1);
    const listed = await gatehouseJson<{ clients: { client_id: string }[] }>(env, 'client', 'list');
    expect(listed.clients.map((c) => c.client_id)).not.toContain(clientId);
  });

  it.each([
    ['whose client_id is not its own URL', '/mismatch', /client_id/],
    ['with a javascript: redirect URI', '/javascript', /javascript:/],
    ['asking for client_credentials', '/secret', /client_credentials/],
    ['that redirects to a private address', '/to-private', /metadata document/],
    ['that is slow', '/slow', /metadata document/],
    ['that is huge', '/huge', /metadata document/],
  ])('refuses a document %s with a readable error page, sending nobody anywhere', async (_case, path, message) => {
    const started = Date.now();
    const { page, callback } = await authorize(base, `${host.origin}${path}`);
    expect(callback).toBeUndefined();
    expect(page?.status).toBe(400);
    const text = await page?.text();
    expect(text).toMatch(message);
    expect(text).not.toMatch(/at .*\.js:\d+/);
    // Answered without waiting for the document (the provider bounds each fetch).
    expect(Date.now() - started).toBeLessThan(SLOW_DOCUMENT_MS);
  });
});

describe('the outbound guard and the host list for metadata documents', () => {
  let base: string;
  beforeAll(async () => {
    ({ url: base } = await serve({ CLIENT_ID_METADATA_DOCUMENT_HOSTS: new URL(host.origin).host }));
  });

  it('refuses a document on a private address (SSRF guard), even from a listed host', async () => {
    const { page, callback } = await authorize(base, `${host.origin}/good`);
    expect(callback).toBeUndefined();
    expect(page?.status).toBe(400);
  });

  it('never contacts a host not on CLIENT_ID_METADATA_DOCUMENT_HOSTS', async () => {
    const before = host.hits.get('/good') ?? 0;
    const other = host.origin.replace('localhost', '127.0.0.1');
    const { page } = await authorize(base, `${other}/good`);
    expect(page?.status).toBe(400);
    expect(await page?.text()).toMatch(/not allowed/);
    expect(host.hits.get('/good') ?? 0).toBe(before);
  });
});
