import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { createPrisma, type Db } from '../../src/db/create-prisma.js';

/**
 * `gatehouse client remove` revokes the client's grants and every token issued to it: the APIs
 * hear `{"active": false}` at once (RFC 7662 §2.2), not when the tokens expire (RFC 7009 §2.1).
 */
const JWT_API = 'https://api.example.com/';
const OPAQUE_API = 'https://ledger.example.com';
const EMAIL = 'margaret@example.com';
const PASSWORD = 'apollo guidance 1969';
const REDIRECT = 'https://app.example/cb';

let server: TestServer;
let env: Record<string, string>;
let db: Db;
let jwtApi: Credentials;
let opaqueApi: Credentials;

const cli = <T = Credentials>(...argv: string[]) => gatehouseJson<T>(env, ...argv);
const introspect = (api: Credentials, token: string) => postForm(server.url, '/token/introspection', api, { token });

async function machineToken(client: Credentials, resource: string, scope: string): Promise<string> {
  const res = await postForm(server.url, '/token', client, { grant_type: 'client_credentials', resource, scope });
  if (res.status !== 200) throw new Error(res.text);
  return res.body.access_token as string;
}

/** Records still held for the client, whatever the model (the client's own row aside). */
const recordsOf = async (clientId: string) =>
  (await db.oidcRecord.findMany({ where: { model: { not: 'Client' } }, select: { model: true, payload: true } }))
    .filter(({ payload }) => (JSON.parse(payload) as { clientId?: string }).clientId === clientId)
    .map(({ model }) => model);

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  db = createPrisma(server.database.url);
  await cli('user', 'add', '--email', EMAIL, '--password', PASSWORD);
  jwtApi = await cli('resource', 'add', '--identifier', JWT_API, '--scope', 'read');
  opaqueApi = await cli(
    'resource',
    'add',
    '--identifier',
    OPAQUE_API,
    '--scope',
    'ledger:read',
    '--token-format',
    'opaque',
  );
});

afterAll(async () => {
  await db.$disconnect();
  await server.close();
});

describe('gatehouse client remove revokes what the client holds (RFC 7009 §2.1, RFC 7662 §2.2)', () => {
  it("makes the client's opaque and JWT client-credentials tokens inactive at the API's introspection", async () => {
    const worker = await cli(
      'client',
      'add',
      '--name',
      'Worker',
      '--grant-type',
      'client_credentials',
      '--resource',
      JWT_API,
      '--resource',
      OPAQUE_API,
    );
    const opaque = await machineToken(worker, OPAQUE_API, 'ledger:read');
    const jwt = await machineToken(worker, JWT_API, 'read');
    expect((await introspect(opaqueApi, opaque)).body).toMatchObject({ active: true });
    expect((await introspect(jwtApi, jwt)).body).toMatchObject({ active: true });

    const removed = await cli<{ revoked: number }>('client', 'remove', '--client-id', worker.client_id);
    expect(removed.revoked).toBe(2);

    expect((await introspect(opaqueApi, opaque)).body).toEqual({ active: false });
    expect((await introspect(jwtApi, jwt)).body).toEqual({ active: false });
    expect(await recordsOf(worker.client_id)).toEqual([]);
  });

  it("removes a user-facing app's grants with their codes, access and refresh tokens", async () => {
    const app = await cli(
      'client',
      'add',
      '--name',
      'App',
      '--redirect-uri',
      REDIRECT,
      '--grant-type',
      'authorization_code',
      '--grant-type',
      'refresh_token',
      '--resource',
      JWT_API,
    );
    const rp = await relyingParty(server.config.issuer, app as Required<Credentials>, REDIRECT);
    const request = await rp.authorizationRequest({
      scope: 'openid offline_access read',
      resource: JWT_API,
      prompt: 'consent',
    });
    const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    const tokens = await rp.redeem(callback as URL, request, { resource: JWT_API });
    expect((await introspect(jwtApi, tokens.access_token)).body).toMatchObject({ active: true });
    expect(await recordsOf(app.client_id)).toEqual(expect.arrayContaining(['Grant', 'RefreshToken']));

    await cli('client', 'remove', '--client-id', app.client_id);

    expect((await introspect(jwtApi, tokens.access_token)).body).toEqual({ active: false });
    expect(await recordsOf(app.client_id)).toEqual([]);
  });

  it("leaves other clients' tokens alone", async () => {
    const keep = await cli(
      'client',
      'add',
      '--name',
      'Keep',
      '--grant-type',
      'client_credentials',
      '--resource',
      OPAQUE_API,
    );
    const gone = await cli(
      'client',
      'add',
      '--name',
      'Gone',
      '--grant-type',
      'client_credentials',
      '--resource',
      OPAQUE_API,
    );
    const kept = await machineToken(keep, OPAQUE_API, 'ledger:read');
    await machineToken(gone, OPAQUE_API, 'ledger:read');
    await cli('client', 'remove', '--client-id', gone.client_id);
    expect((await introspect(opaqueApi, kept)).body).toMatchObject({ active: true, client_id: keep.client_id });
  });
});
