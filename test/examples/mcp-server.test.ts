import { createServer, type Server } from 'node:http';
import { decodeJwt } from 'jose';
import type { Browser } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startNodeApp } from '../support/node-app.js';
import { freePort } from '../support/free-port.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import {
  jsonDocument,
  startMetadataDocumentHost,
  type MetadataDocumentHost,
} from '../support/metadata-document-host.js';

const EMAIL = 'ada@example.com';
const PASSWORD = 'analytical engine 1843';
const EXAMPLE = new URL('../../examples/mcp-server/server.mjs', import.meta.url);

/** An MCP client's OAuth state, kept in memory: what a desktop agent would keep on disk. */
class AgentAuth implements OAuthClientProvider {
  information?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  authorizationUrl?: URL;
  constructor(
    private readonly callback: string,
    readonly clientMetadataUrl?: string,
  ) {}
  get redirectUrl() {
    return this.callback;
  }
  get clientMetadata(): OAuthClientMetadata {
    return agentMetadata(this.callback);
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

const agentMetadata = (callback: string): OAuthClientMetadata => ({
  client_name: 'Research agent',
  redirect_uris: [callback],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
});

/** The agent's loopback listener (RFC 8252 §7.3), where the browser brings the code back. */
async function startCallback(): Promise<{ url: string; codes: string[]; server: Server }> {
  const codes: string[] = [];
  const port = await freePort();
  const server = createServer((req, res) => {
    const code = new URL(req.url ?? '/', `http://127.0.0.1:${port}`).searchParams.get('code');
    if (code) codes.push(code);
    res.end('You can close this window and return to the agent.');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/callback`, codes, server };
}

let browser: Browser;
let closeBrowser: () => Promise<void>;
let host: MetadataDocumentHost;
let database: TestDatabase;
let gatehouse: ServeProcess;
let issuer: string;
let mcp: { stop(): Promise<void>; output(): string };
let mcpUrl: string;
let callback: Awaited<ReturnType<typeof startCallback>>;

/** Signs in (first with a mistyped password) and consents in Chromium; returns the code the agent received. */
async function consentInBrowser(authorizationUrl: URL, expectHost: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(authorizationUrl.href);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('analytical engine 1842');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page
      .getByText(/incorrect|wrong|not recognised|did not match/i)
      .first()
      .waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    const consent = await page.locator('body').innerText();
    expect(consent).toContain('This app is not verified by the operator of this server');
    expect(consent).toContain(expectHost);
    const before = callback.codes.length;
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByText('return to the agent').waitFor();
    expect(callback.codes.length).toBe(before + 1);
    return callback.codes.at(-1) as string;
  } finally {
    await context.close();
  }
}

/** What an agent does: connect, get 401, sign the person in, finish, connect again, call the tool. */
async function connectAndGreet(auth: AgentAuth, expectHost: string) {
  const first = new Client({ name: 'research-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: auth });
  await expect(first.connect(transport)).rejects.toThrow(UnauthorizedError);
  expect(auth.authorizationUrl?.origin).toBe(issuer);
  const code = await consentInBrowser(auth.authorizationUrl as URL, expectHost);
  await transport.finishAuth(code);

  const client = new Client({ name: 'research-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: auth }));
  try {
    const result = await client.callTool({ name: 'greet', arguments: { greeting: 'Good morning' } });
    return { result, token: decodeJwt(auth.saved?.access_token as string) };
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  ({ browser, close: closeBrowser } = await launchChromium());
  callback = await startCallback();
  host = await startMetadataDocumentHost({
    '/agent.json': jsonDocument((origin) => ({ client_id: `${origin}/agent.json`, ...agentMetadata(callback.url) })),
  });
  database = await createTestDatabase();
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  gatehouse = await startServeProcess({
    DATABASE_URL: database.url,
    ISSUER: issuer,
    PORT: String(port),
    NODE_EXTRA_CA_CERTS: host.caFile,
    CLIENT_REGISTRATION: 'open',
    CLIENT_ID_METADATA_DOCUMENTS: 'on',
    // The metadata document is served on this machine's loopback.
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
  });
  const mcpPort = await freePort();
  mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
  const env = { DATABASE_URL: database.url, ISSUER: issuer };
  await gatehouseJson(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD, '--email-verified');
  await gatehouseJson(
    env,
    'resource',
    'add',
    '--identifier',
    mcpUrl,
    '--scope',
    'tools:read',
    '--dynamic-clients',
    'allow',
  );
  mcp = await startNodeApp(EXAMPLE, { ISSUER: issuer, PORT: String(mcpPort), MCP_URL: mcpUrl });
});

afterAll(async () => {
  await mcp?.stop();
  gatehouse?.child.kill('SIGTERM');
  await gatehouse?.exited;
  await host?.close();
  await database?.drop();
  callback?.server.close();
  await closeBrowser?.();
});

describe("an MCP client (the SDK's own OAuth) connecting to the example MCP server through Gatehouse", () => {
  it('discovers Gatehouse from the 401, registers itself (RFC 7591), and calls the tool with a token for that server', async () => {
    const auth = new AgentAuth(callback.url);
    const { result, token } = await connectAndGreet(auth, '127.0.0.1');
    expect(auth.information?.client_id).toEqual(expect.any(String));
    expect(token.aud).toBe(mcpUrl);
    expect(token.scope).toBe('tools:read');
    expect(result.content).toEqual([{ type: 'text', text: expect.stringMatching(/^Good morning, .+ \(via .+\)$/) }]);
  });

  it('uses a client ID metadata document served on loopback instead, when the agent has one', async () => {
    const auth = new AgentAuth(callback.url, `${host.origin}/agent.json`);
    const { result, token } = await connectAndGreet(auth, new URL(host.origin).host);
    expect(auth.information?.client_id).toBe(`${host.origin}/agent.json`);
    expect(token.client_id).toBe(`${host.origin}/agent.json`);
    expect(token.aud).toBe(mcpUrl);
    expect(result.isError).toBeFalsy();
  });

  it('answers a call with a bad token 401, naming its protected-resource metadata (RFC 9728 §5.1)', async () => {
    const res = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        authorization: 'Bearer not-a-token',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('/.well-known/oauth-protected-resource/mcp');
  });
});

describe('with CLIENT_REGISTRATION=off', () => {
  let off: TestServer;
  let offMcp: { stop(): Promise<void> };
  let offMcpUrl: string;
  beforeAll(async () => {
    off = await startTestServer();
    const port = await freePort();
    offMcpUrl = `http://127.0.0.1:${port}/mcp`;
    offMcp = await startNodeApp(EXAMPLE, { ISSUER: off.url, PORT: String(port), MCP_URL: offMcpUrl });
  });
  afterAll(async () => {
    await offMcp?.stop();
    await off?.close();
  });

  it('stops the SDK with its own clear error, not a server error', async () => {
    const client = new Client({ name: 'research-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(offMcpUrl), {
      authProvider: new AgentAuth(callback.url),
    });
    await expect(client.connect(transport)).rejects.toThrow(
      'Incompatible auth server: does not support dynamic client registration',
    );
  });
});
