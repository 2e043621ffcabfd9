import Koa from 'koa';
import Router from '@koa/router';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ownRoutes } from '../../src/http/own-routes.js';

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
