import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';

// The package's exports map hides its browser bundle from resolution; it ships in the package all the same.
const BUNDLE = new URL('../../node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js', import.meta.url);

/**
 * A single-page app as developers ship one: a static page on its own origin loading oidc-client-ts'
 * browser bundle, whose UserManager (global `oidc`) talks to Gatehouse straight from the browser.
 * The page exposes `window.mgr` and marks `window.callbackDone` after handling a redirect back.
 */
export async function startSpaHost(
  issuer: string,
  clientId: string,
  port: number,
): Promise<{ origin: string; close(): Promise<void> }> {
  const bundle = await readFile(BUNDLE);
  const origin = `http://127.0.0.1:${port}`;
  const page = `<!doctype html><meta charset="utf-8"><title>SPA</title>
<script src="/oidc-client-ts.js"></script>
<script>
  window.mgr = new oidc.UserManager({
    authority: ${JSON.stringify(issuer)},
    client_id: ${JSON.stringify(clientId)},
    redirect_uri: ${JSON.stringify(`${origin}/callback`)},
    post_logout_redirect_uri: ${JSON.stringify(`${origin}/`)},
    scope: 'openid email profile offline_access',
    extraQueryParams: { prompt: 'consent' },
    loadUserInfo: true,
    automaticSilentRenew: false,
  });
  if (location.pathname === '/callback') {
    window.mgr.signinRedirectCallback().then((user) => { window.callbackDone = { ok: true, sub: user.profile.sub }; },
      (error) => { window.callbackDone = { ok: false, error: String(error) }; });
  }
</script>`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/oidc-client-ts.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
