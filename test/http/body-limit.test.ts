import { request } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';

let server: TestServer;
const logLines: Record<string, unknown>[] = [];
let worker: { client_id: string; client_secret: string };

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  server = await startTestServer({}, undefined, pino({ level: 'info' }, sink));
  worker = await gatehouseJson(
    { DATABASE_URL: server.database.url },
    'client',
    'add',
    '--name',
    'Worker',
    '--grant-type',
    'client_credentials',
  );
});

afterAll(async () => {
  await server.close();
});

interface Answer {
  status: number;
  requestId: string;
  body: Record<string, unknown>;
  ms: number;
}

/**
 * A POST whose body goes out in chunks with no Content-Length (Transfer-Encoding: chunked), as a
 * client streaming an upload sends it; resolves at the answer, whatever happens to the rest.
 */
function chunkedPost(
  path: string,
  bytes: number,
  contentType = 'application/x-www-form-urlencoded',
  form = '',
): Promise<Answer> {
  const url = new URL(path, server.url);
  const auth = `Basic ${Buffer.from(`${worker.client_id}:${worker.client_secret}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { 'content-type': contentType, authorization: auth },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            requestId: String(res.headers['x-request-id']),
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            ms: Date.now() - started,
          }),
        );
      },
    );
    // Writing on after the answer may fail (the server closes); only an error before it counts.
    req.on('error', reject);
    const chunk = Buffer.alloc(8 * 1024, 'a');
    let sent = 0;
    req.write(form);
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('request bodies over 64 KiB sent without a Content-Length (ASVS 5.0 §4.1, bounded input)', () => {
  it.each(['/token/introspection', '/token/revocation'])(
    'get 413 with a JSON error at %s, at once, logged with the request id',
    async (path) => {
      for (const type of ['application/x-www-form-urlencoded', 'application/json']) {
        const res = await chunkedPost(path, 256 * 1024, type, 'token=abc&');
        expect(res.status).toBe(413);
        expect(res.body).toEqual({
          error: 'invalid_request',
          error_description: 'request body is larger than 65536 bytes',
        });
        expect(res.ms).toBeLessThan(2000);
        expect(logLines).toContainEqual(
          expect.objectContaining({ requestId: res.requestId, msg: 'request body too large' }),
        );
        expect(logLines).toContainEqual(
          expect.objectContaining({ requestId: res.requestId, msg: 'request', status: 413, path }),
        );
      }
    },
  );

  it('are still read in full when they stay under the limit (the introspection of a chunked form works)', async () => {
    const res = await chunkedPost('/token/introspection', 0, 'application/x-www-form-urlencoded', 'token=not-a-token');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ active: false });
    const revoked = await chunkedPost('/token/revocation', 0, 'application/x-www-form-urlencoded', 'token=not-a-token');
    expect(revoked.status).toBe(200);
  });
});
