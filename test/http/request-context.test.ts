import { Writable } from 'node:stream';
import Koa from 'koa';
import { createLogger } from '../../src/kernel/logger.js';
import { requestContext } from '../../src/http/request-context.js';

/** A Koa app with the request context on a logger whose lines this test reads back. */
async function appLogging(handler: Koa.Middleware) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = new Koa();
  app.use(requestContext(createLogger('info', sink), false));
  app.use(handler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return { lines, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

describe('the request context', () => {
  it('writes one access line per request with its id, method, path (without the query), status, time and address', async () => {
    const app = await appLogging((ctx) => {
      ctx.status = 204;
    });
    try {
      const res = await fetch(`${app.url}/token/introspection?token=secret-in-a-query`, { method: 'POST' });
      expect(res.status).toBe(204);
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const access = app.lines.filter((line) => line.msg === 'request');
      expect(access).toEqual([
        expect.objectContaining({
          service: 'gatehouse',
          requestId: id,
          method: 'POST',
          path: '/token/introspection',
          status: 204,
          ip: '127.0.0.1',
          ms: expect.any(Number),
        }),
      ]);
      expect(JSON.stringify(access)).not.toContain('secret-in-a-query');
    } finally {
      await app.close();
    }
  });

  it("still redacts what a request's own lines carry by mistake (the access line alone skips the redaction)", async () => {
    const app = await appLogging((ctx) => {
      ctx.state.log.warn(
        { form: { password: 'hunter2', client_secret: 's3cret' } },
        'a line that should not carry these',
      );
      ctx.body = 'ok';
    });
    try {
      const res = await fetch(app.url);
      expect(res.status).toBe(200);
      const line = app.lines.find((l) => l.msg === 'a line that should not carry these');
      expect(line).toMatchObject({
        requestId: res.headers.get('x-request-id'),
        form: { password: '[redacted]', client_secret: '[redacted]' },
      });
      expect(JSON.stringify(app.lines)).not.toMatch(/hunter2|s3cret/);
    } finally {
      await app.close();
    }
  });
});
