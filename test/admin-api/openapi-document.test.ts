import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import createClient from 'openapi-fetch';
import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import { generatedTypes } from '../../scripts/generate-admin-api-types.js';
import type { paths } from './generated/management-api.js';

let api: AdminApiHarness;
let document: { openapi: string; paths: Record<string, Record<string, unknown>> };

beforeAll(async () => {
  api = await startAdminApi();
  const res = await fetch(`${api.base}/openapi.json`);
  expect(res.status).toBe(200);
  document = (await res.json()) as typeof document;
});

afterAll(async () => {
  await api.close();
});

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('the OpenAPI document of the management API', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents every route the router serves, and only those', async () => {
    const served = (await api.container.adminApi.load()).stack
      .map((layer) => ({ methods: layer.methods, path: String(layer.path) }))
      .filter((layer) => layer.methods.length && !layer.path.endsWith('/openapi.json'))
      .flatMap((layer) =>
        layer.methods
          .filter((m) => m !== 'HEAD')
          .map(
            (m) => `${m.toLowerCase()} ${layer.path.replace('/admin/api/v1', '').replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`,
          ),
      );
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m} ${path}`),
    );
    expect(served.sort()).toEqual(documented.sort());
  });

  it('has every documented route answer (never 404 or 405), refusing a call without a token as a problem', async () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) {
        const answer = await api.call(method.toUpperCase(), path.replace(/\{[^}]+\}/g, 'x'));
        expect([`${method} ${path}`, answer.status]).toEqual([`${method} ${path}`, 401]);
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    }
  });

  it('answers an unknown address under the API and a wrong method as problems', async () => {
    const unknown = await api.call('GET', '/nothing-here');
    expect(unknown.body).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
    const wrong = await api.call('PUT', '/users');
    expect(wrong.body).toMatchObject({ status: 405, code: 'ERR_METHOD_NOT_ALLOWED' });
    expect(wrong.headers.get('allow')).toMatch(/GET/);
  });
});

describe('a client generated from the served document (openapi-typescript + openapi-fetch)', () => {
  it('is generated from what is served (the checked-in types are current)', async () => {
    const checkedIn = readFileSync(new URL('./generated/management-api.ts', import.meta.url), 'utf8');
    expect(checkedIn).toBe(await generatedTypes(document));
  });

  it('creates a user, is told of its mistake as a problem, and reads the user back', async () => {
    const token = await api.token();
    const client = createClient<paths>({ baseUrl: api.base, headers: { authorization: `Bearer ${token}` } });
    const mistake = await client.POST('/users', { body: { email: 'not an address' } });
    expect(mistake.error).toMatchObject({ code: 'ERR_EMAIL_INVALID' });
    const created = await client.POST('/users', {
      body: { email: 'ada@example.com', name: 'Ada' },
      params: { header: { 'Idempotency-Key': 'generated-client-1' } },
    });
    expect(created.response.status).toBe(201);
    const id = created.data?.id as string;
    const read = await client.GET('/users/{id}', { params: { path: { id } } });
    expect(read.data).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
  });

  it('creates a client and a role, each after a mistake, and reads them back', async () => {
    const token = await api.token();
    const client = createClient<paths>({ baseUrl: api.base, headers: { authorization: `Bearer ${token}` } });
    const nameless = await client.POST('/clients', { body: { client_name: '', grant_types: ['client_credentials'] } });
    expect(nameless.error).toMatchObject({ status: 422, code: 'ERR_VALIDATION' });
    const made = await client.POST('/clients', { body: { client_name: 'CI', grant_types: ['client_credentials'] } });
    expect(made.response.status).toBe(201);
    expect(made.data?.client_secret).toEqual(expect.any(String));
    const clientId = made.data?.client_id as string;
    const readClient = await client.GET('/clients/{id}', { params: { path: { id: clientId } } });
    expect(readClient.data).toMatchObject({ client_name: 'CI', grant_types: ['client_credentials'] });

    const badName = await client.POST('/roles', { body: { name: 'has space' } });
    expect(badName.error).toMatchObject({ code: 'ERR_ROLE_INVALID' });
    const role = await client.POST('/roles', {
      body: { name: 'auditor', description: 'Reads the books' },
      params: { header: { 'Idempotency-Key': 'generated-client-role' } },
    });
    expect(role.response.status).toBe(201);
    const readRole = await client.GET('/roles/{name}', { params: { path: { name: 'auditor' } } });
    expect(readRole.data).toMatchObject({
      name: 'auditor',
      description: 'Reads the books',
      permissions: [],
      members: 0,
    });
  });
});
