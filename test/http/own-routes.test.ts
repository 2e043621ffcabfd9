import Koa from 'koa';
import Router from '@koa/router';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ownRoutes } from '../../src/http/own-routes.js';
import { lazyRouter } from '../../src/http/lazy-router.js';

let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  const account = new Router({ prefix: '/account' });
  account.use(async (ctx, next) => {
    seen.push(`account ${ctx.path}`);
    await next();
  });
  account.get('/', (ctx) => {
    ctx.body = 'account';
  });
  const health = new Router();
  health.get('/healthz', (ctx) => {
    ctx.body = 'ok';
  });
  const landing = new Router();
  landing.get('/', (ctx) => {
    ctx.body = 'landing';
  });
  const app = new Koa();
  app.use(ownRoutes([account, health, landing]));
  app.use((ctx) => {
    seen.push(`provider ${ctx.path}`);
    ctx.body = 'provider';
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const get = async (path: string, method = 'GET') => {
  const res = await fetch(`${base}${path}`, { method });
  return { status: res.status, body: await res.text() };
};

describe('ownRoutes', () => {
  beforeEach(() => {
    seen.length = 0;
  });

  it('sends protocol paths straight on, without running our routers', async () => {
    expect(await get('/token', 'POST')).toEqual({ status: 200, body: 'provider' });
    expect(await get('/accounts')).toEqual({ status: 200, body: 'provider' });
    expect(seen).toEqual(['provider /token', 'provider /accounts']);
  });

  it('still gives our routers every path they would match themselves (case, trailing slash, prefix root)', async () => {
    expect(await get('/account')).toEqual({ status: 200, body: 'account' });
    expect(await get('/ACCOUNT/')).toEqual({ status: 200, body: 'account' });
    expect(await get('/healthz/')).toEqual({ status: 200, body: 'ok' });
    expect(await get('/HealthZ')).toEqual({ status: 200, body: 'ok' });
  });

  it('gives a router of the root only the root: every other path still goes straight on', async () => {
    expect(await get('/')).toEqual({ status: 200, body: 'landing' });
    expect(await get('/authorize')).toEqual({ status: 200, body: 'provider' });
    expect(seen).toEqual(['provider /authorize']);
  });
});

describe('ownRoutes with a router made at its first request (lazyRouter)', () => {
  let lazyServer: Server;
  let lazyBase: string;
  let made = 0;

  beforeAll(async () => {
    const api = lazyRouter('/admin/api/v1', async () => {
      made += 1;
      const router = new Router({ prefix: '/admin/api/v1' });
      router.get('/users', (ctx) => {
        ctx.body = 'users';
      });
      return router;
    });
    const app = new Koa();
    app.use(ownRoutes([api]));
    // As the provider does, nothing is answered under the API's prefix.
    app.use((ctx) => {
      if (!ctx.path.toLowerCase().startsWith('/admin/')) ctx.body = 'provider';
    });
    lazyServer = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => lazyServer.once('listening', resolve));
    lazyBase = `http://127.0.0.1:${(lazyServer.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => lazyServer.close(resolve)));

  const call = async (path: string, method = 'GET') => {
    const res = await fetch(`${lazyBase}${path}`, { method });
    return { status: res.status, body: await res.text() };
  };

  it('is not made for requests elsewhere, then made once, by the first request under its prefix', async () => {
    expect(await call('/token', 'POST')).toEqual({ status: 200, body: 'provider' });
    expect(made).toBe(0);
    expect(await call('/ADMIN/api/v1/users/')).toEqual({ status: 200, body: 'users' });
    expect(await call('/admin/api/v1/users')).toEqual({ status: 200, body: 'users' });
    expect(made).toBe(1);
  });

  it('answers as the router it makes: a wrong method is 405, an unknown path 404', async () => {
    expect((await call('/admin/api/v1/users', 'PUT')).status).toBe(405);
    expect((await call('/admin/api/v1/nothing-here')).status).toBe(404);
  });
});
