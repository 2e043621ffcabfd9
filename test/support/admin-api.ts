import { startTestServer, type TestServer } from './test-server.js';
import { freePort } from './free-port.js';
import { postForm, type Credentials } from './token-endpoint.js';
import { prepareDatabase } from '../../src/boot/prepare-database.js';
import { createContainer, type Container } from '../../src/boot/container.js';
import { systemClock } from '../../src/kernel/clock.js';
import { managementApiIdentifier } from '../../src/resources/management-api.js';
import { ADMIN_API_BASE } from '../../src/admin-api/admin-api-base.js';

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON (or problem+json) body; undefined when there is none. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface AdminApiHarness {
  readonly server: TestServer;
  /** A second container on the same database: set up data fast (services, queries) as the CLI would. */
  readonly container: Container;
  /** `{ISSUER}/admin/api`: the resource management tokens are for. */
  readonly identifier: string;
  /** `http://127.0.0.1:PORT/admin/api/v1`. */
  readonly base: string;
  /**
   * A client as an operator makes one: `gatehouse client add --grant-type client_credentials
   * --resource {ISSUER}/admin/api`, narrowed with `client grant --scope` when `scope` is given.
   */
  newClient(scope?: string): Promise<Credentials>;
  /** A management token from the token endpoint (client credentials, RFC 6749 §4.4). */
  tokenFor(client: Credentials, scope?: string): Promise<string>;
  /** A new client's token with these scopes (default: both). */
  token(scope?: string): Promise<string>;
  /** One request to the API, `path` relative to /admin/api/v1. */
  call(method: string, path: string, options?: CallOptions): Promise<ApiAnswer>;
  close(): Promise<void>;
}

/** A real Gatehouse on a fresh database, with what a management API test needs. */
export async function startAdminApi(env: Record<string, string> = {}): Promise<AdminApiHarness> {
  const server = await startTestServer(env);
  const { kek } = await prepareDatabase(server.config, systemClock);
  const container = await createContainer(server.config, kek.key, systemClock);
  const identifier = managementApiIdentifier(server.config.issuer);
  const base = `${server.url}${ADMIN_API_BASE}`;
  let clients = 0;

  const newClient = async (scope?: string): Promise<Credentials> => {
    clients += 1;
    const client = await container.clients.add({
      name: `Automation ${clients}`,
      grantTypes: ['client_credentials'],
      resources: [identifier],
    });
    if (scope) await container.clients.grant(client.client_id, identifier, scope);
    return client;
  };

  const tokenFor = async (client: Credentials, scope?: string): Promise<string> => {
    const answer = await postForm(server.url, '/token', client, {
      grant_type: 'client_credentials',
      resource: identifier,
      ...(scope ? { scope } : {}),
    });
    if (answer.status !== 200) throw new Error(`token request failed: ${answer.status} ${answer.text}`);
    return answer.body.access_token as string;
  };

  return {
    server,
    container,
    identifier,
    base,
    newClient,
    tokenFor,
    token: async (scope) => tokenFor(await newClient(scope), scope),
    async call(method, path, { token, body, headers = {} } = {}) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        text,
        body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined,
      };
    },
    async close() {
      await container.close();
      await server.close();
    },
  };
}

/** startAdminApi with the server's metrics on a free port of 127.0.0.1, and the address to read them. */
export async function startAdminApiWithMetrics(): Promise<{ harness: AdminApiHarness; metricsUrl: string }> {
  const port = await freePort();
  const harness = await startAdminApi({ METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1' });
  return { harness, metricsUrl: `http://127.0.0.1:${port}/metrics` };
}
