import { useCliDatabase } from '../../support/use-cli-database.js';
import { gatehouse, gatehouseJson } from '../../support/run-gatehouse.js';

const cli = useCliDatabase();

interface Shown {
  client_id: string;
  client_name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri?: string;
  web_origins: string[];
  grant_types: string[];
  response_types: string[];
  pkce: string;
  mfa_policy: string;
  first_party: boolean;
  resources: Record<string, string[]>;
}

describe('gatehouse client update, show and list', () => {
  it('changes name, URIs, grant and response types, APIs, PKCE and MFA, keeping the client id', async () => {
    const env = cli.env;
    await gatehouseJson(env, 'resource', 'add', '--identifier', 'https://api.example.com', '--scope', 'read write');
    const created = await gatehouseJson<{ client_id: string; client_secret: string }>(
      env,
      'client',
      'add',
      '--name',
      'Old name',
      '--redirect-uri',
      'https://old.example/cb',
    );

    const updated = await gatehouseJson<Shown>(
      env,
      'client',
      'update',
      '--client-id',
      created.client_id,
      '--name',
      'New name',
      '--redirect-uri',
      'https://new.example/cb',
      '--redirect-uri',
      'http://localhost:8080/cb',
      '--post-logout-redirect-uri',
      'https://new.example/',
      '--grant-type',
      'authorization_code',
      '--grant-type',
      'refresh_token',
      '--response-type',
      'code',
      '--response-type',
      'id_token',
      '--resource',
      'https://api.example.com',
      '--pkce',
      'optional',
      '--mfa',
      'always',
      '--first-party',
    );
    expect(updated).toMatchObject({
      client_id: created.client_id,
      client_name: 'New name',
      redirect_uris: ['https://new.example/cb', 'http://localhost:8080/cb'],
      post_logout_redirect_uris: ['https://new.example/'],
      grant_types: ['authorization_code', 'refresh_token', 'implicit'],
      response_types: ['code', 'id_token'],
      pkce: 'optional',
      mfa_policy: 'always',
      first_party: true,
      resources: { 'https://api.example.com': ['read', 'write'] },
    });

    const shown = await gatehouseJson<Shown>(env, 'client', 'show', '--client-id', created.client_id);
    expect(shown).toMatchObject({ client_name: 'New name', pkce: 'optional' });
    expect(JSON.stringify(shown)).not.toContain(created.client_secret);
    const text = await gatehouse(env, 'client', 'show', '--client-id', created.client_id);
    expect(text.stdout).toMatch(/redirect URIs:\s+https:\/\/new\.example\/cb http:\/\/localhost:8080\/cb/);
    expect(text.stdout).toMatch(/post-logout URIs:\s+https:\/\/new\.example\//);
  });

  it('changes only what is given: the MFA policy alone leaves every other setting', async () => {
    const env = cli.env;
    const { client_id } = await gatehouseJson<{ client_id: string }>(
      env,
      'client',
      'add',
      '--name',
      'Keep',
      '--redirect-uri',
      'https://keep.example/cb',
      '--response-type',
      'id_token',
    );
    const before = await gatehouseJson<Shown>(env, 'client', 'show', '--client-id', client_id);
    const after = await gatehouseJson<Shown>(env, 'client', 'update', '--client-id', client_id, '--mfa', 'off');
    expect({ ...after, mfa_policy: before.mfa_policy }).toEqual(before);
    expect(after.mfa_policy).toBe('off');
    expect(before.response_types).toEqual(['id_token']);
  });

  it('refuses what client add would refuse, and an unknown client, with the reason', async () => {
    const env = cli.env;
    const { client_id } = await gatehouseJson<{ client_id: string }>(
      env,
      'client',
      'add',
      '--name',
      'Strict',
      '--redirect-uri',
      'https://strict.example/cb',
    );
    const http = await gatehouse(
      env,
      'client',
      'update',
      '--client-id',
      client_id,
      '--redirect-uri',
      'http://strict.example/cb',
    );
    expect(http.code).toBe(1);
    expect(http.stderr).toMatch(/must use https/);
    const pkce = await gatehouse(env, 'client', 'update', '--client-id', client_id, '--pkce', 'sometimes');
    expect(pkce.code).toBe(2);
    expect(pkce.stderr).toMatch(/--pkce must be one of required, optional/);
    const missing = await gatehouse(env, 'client', 'show', '--client-id', 'no-such-client', '--json');
    expect(missing.code).toBe(1);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('ERR_CLIENT_NOT_FOUND');
  });

  it("lists every URI kind: redirect, post-logout, back-channel logout and a public client's web origins", async () => {
    const env = cli.env;
    await gatehouseJson(
      env,
      'client',
      'add',
      '--name',
      'Every URI',
      '--auth-method',
      'none',
      '--redirect-uri',
      'https://spa.example/cb',
      '--post-logout-redirect-uri',
      'https://spa.example/bye',
      '--backchannel-logout-uri',
      'https://spa.example/bcl',
    );
    const { clients } = await gatehouseJson<{ clients: Shown[] }>(env, 'client', 'list');
    expect(clients.find((c) => c.client_name === 'Every URI')).toMatchObject({
      redirect_uris: ['https://spa.example/cb'],
      post_logout_redirect_uris: ['https://spa.example/bye'],
      backchannel_logout_uri: 'https://spa.example/bcl',
      web_origins: ['https://spa.example'],
    });
    const text = (await gatehouse(env, 'client', 'list')).stdout;
    for (const column of ['post_logout_redirect_uris', 'backchannel_logout_uri', 'web_origins'])
      expect(text).toContain(column);
    expect(text).toContain('https://spa.example/bye');
  });

  it('audits a change made on the server’s machine as the CLI’s, and never grants the management API to a public client', async () => {
    // The server's ISSUER in the operator's shell: the CLI then makes the management API, as the server would.
    const env = { ...cli.env, ISSUER: 'https://id.example.com' };
    const { client_id } = await gatehouseJson<{ client_id: string }>(
      env,
      'client',
      'add',
      '--name',
      'Audited by CLI',
      '--grant-type',
      'client_credentials',
    );
    await gatehouseJson(env, 'client', 'update', '--client-id', client_id, '--name', 'Renamed by CLI');
    const { events } = await gatehouseJson<{
      events: { type: string; clientId: string | null; detail: Record<string, unknown> | null }[];
    }>(env, 'audit', '--limit', '10');
    const mine = events.filter((e) => e.detail?.client === client_id);
    expect(mine.map((e) => e.type).sort()).toEqual(['admin.client.created', 'admin.client.updated']);
    for (const event of mine) expect(event).toMatchObject({ clientId: null, detail: { actor: 'cli' } });

    const management = (await gatehouseJson<{ resources: { identifier: string }[] }>(env, 'resource', 'list')).resources
      .map((r) => r.identifier)
      .find((identifier) => identifier.endsWith('/admin/api'));
    expect(management).toBeDefined();
    const spa = await gatehouse(
      env,
      'client',
      'add',
      '--name',
      'SPA admin',
      '--auth-method',
      'none',
      '--redirect-uri',
      'https://spa-admin.example/cb',
      '--resource',
      management as string,
      '--json',
    );
    expect(spa.code).toBe(1);
    expect(spa.json<{ error: { code: string } }>().error.code).toBe('ERR_CLIENT_GRANT_REFUSED');
  });
});
