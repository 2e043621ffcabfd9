import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import { freePort } from '../support/free-port.js';

let api: AdminApiHarness;
let metricsPort: number;
let writer: string;

beforeAll(async () => {
  metricsPort = await freePort();
  api = await startAdminApi({ METRICS_PORT: String(metricsPort) });
  writer = await api.token();
});

afterAll(async () => {
  await api.close();
});

const EVIL = 'https://evil.example';

describe('the edge of the management API', () => {
  it('answers no browser from another origin: a preflight gets no CORS grant, and neither does a call', async () => {
    // Without Access-Control-Allow-Origin a browser never lets a page read the answer (Fetch §3.2.5),
    // and a preflight without it stops the call from being sent at all.
    const preflight = await fetch(`${api.base}/users`, {
      method: 'OPTIONS',
      headers: {
        Origin: EVIL,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
    const call = await fetch(`${api.base}/users`, { headers: { Origin: EVIL, Authorization: `Bearer ${writer}` } });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toBeNull();
    expect(call.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a body over the bound as a problem before reading it, then takes a normal one', async () => {
    const huge = await api.call('POST', '/users', {
      token: writer,
      body: { email: 'big@example.com', name: 'x'.repeat(2_000_000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(huge.body).toMatchObject({ status: 413, code: 'ERR_BODY_TOO_LARGE' });
    const normal = await api.call('POST', '/users', { token: writer, body: { email: 'big@example.com', name: 'Big' } });
    expect(normal.status).toBe(201);
  });

  it('is timed per route template, never per user id, in the metrics', async () => {
    const created = await api.call('POST', '/users', { token: writer, body: { email: 'timed@example.com' } });
    expect(created.status).toBe(201);
    expect((await api.call('GET', `/users/${created.body.id}`, { token: writer })).status).toBe(200);
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const series = text.split('\n').filter((line) => line.startsWith('gatehouse_http_request_duration_seconds_count'));
    expect(
      series.some((line) => line.includes('route="/admin/api/v1/users/:id"') && line.includes('method="GET"')),
    ).toBe(true);
    expect(text).not.toContain(created.body.id);
    expect(text).not.toContain('timed@example.com');
  });
});
