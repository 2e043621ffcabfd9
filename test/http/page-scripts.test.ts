import Koa from 'koa';
import Router from '@koa/router';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { securityHeaders } from '../../src/http/security-headers.js';
import { assetRoutes } from '../../src/http/asset-routes.js';
import { allowPageScript, pageScript, readPageScripts } from '../../src/http/page-scripts.js';
import { layout } from '../../interactions/views/layout.js';
import { html } from '../../interactions/views/html.js';

const SCRIPT = "document.body.dataset.ran = 'yes';\n";
let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'page-scripts-'));
  writeFileSync(join(dir, 'hello.js'), SCRIPT);
  writeFileSync(join(dir, 'notes.txt'), 'not a script');
  const scripts = readPageScripts(pathToFileURL(`${dir}/`));
  const hello = pageScript('hello.js', scripts);
  const pages = new Router();
  pages.get('/with-script', (ctx) => {
    ctx.type = 'html';
    ctx.body = layout({ title: 'With', body: html`<p>Hello</p>`, scripts: [allowPageScript(ctx, hello)] });
  });
  pages.get('/without-script', (ctx) => {
    ctx.type = 'html';
    ctx.body = layout({ title: 'Without', body: html`<p>Hello</p>` });
  });
  const app = new Koa();
  app.use(securityHeaders());
  app.use(assetRoutes({}, scripts).routes());
  app.use(pages.routes());
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const sha384 = (text: string) => `sha384-${createHash('sha384').update(text).digest('base64')}`;

describe('page scripts (src/http/page-scripts.ts)', () => {
  it('serves each script under /assets/ as JavaScript, without a CSP of its own', async () => {
    const res = await fetch(`${base}/assets/hello.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(await res.text()).toBe(SCRIPT);
    expect((await fetch(`${base}/assets/notes.txt`)).status).toBe(404);
  });

  it('lets a page that was allowed its script run exactly that file: its SRI hash in script-src and in the tag', async () => {
    const res = await fetch(`${base}/with-script`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'/);
    expect(csp).toContain(`script-src '${sha384(SCRIPT)}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'self'/);
    expect(csp).not.toContain('unsafe-inline');
    const page = await res.text();
    const tag = /<script src="([^"]+)" integrity="([^"]+)" defer><\/script>/.exec(page);
    expect(tag?.[2]).toBe(sha384(SCRIPT));
    // The address changes with the file, so a browser never holds an old copy that fails the hash.
    expect(tag?.[1]).toMatch(/^\/assets\/hello\.js\?v=[0-9a-f]{16}$/);
    expect(await (await fetch(`${base}${tag?.[1]}`)).text()).toBe(SCRIPT);
  });

  it('keeps every other page without scripts: no script-src, so default-src none holds', async () => {
    const res = await fetch(`${base}/without-script`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'/);
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('connect-src');
    expect(await res.text()).not.toContain('<script');
  });

  it('refuses at start a page that names a script that is not shipped', () => {
    expect(() => pageScript('missing.js', new Map())).toThrow('No page script interactions/assets/missing.js');
  });
});
