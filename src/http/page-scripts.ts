import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Context } from 'koa';

/**
 * Our own small browser scripts (interactions/assets/*.js), and how a page is allowed to run one.
 *
 * Why a hash of an external file and not `'self'`: a page names its script as
 * `<script src="/assets/x.js" integrity="sha384-…">` and its CSP as `script-src 'sha384-…'`. CSP
 * Level 3 (§6.7.2.3, "external" hash-source matching) lets a hash-source allow an external script
 * whose integrity metadata (SRI) it matches, and the browser checks the fetched bytes against that
 * same hash. So a page runs exactly the one file it was built for, byte for byte: not any other
 * script our origin might answer with (`'self'` would allow every same-origin URL, and a
 * path-scoped source stops being checked after a redirect, CSP3 §6.7.2.8), and no inline script
 * even if one were injected. Every browser that has WebAuthn supports this (Chromium 59,
 * Firefox 116, Safari 15.6). Pages that allow no script keep no `script-src` at all and so fall
 * back to `default-src 'none'` (src/http/security-headers.ts).
 */
export interface PageScript {
  /** The file name under interactions/assets/, served at /assets/<name>. */
  readonly name: string;
  /** The URL to load it from; the query carries a digest so a changed file is never served from an old cache. */
  readonly src: string;
  /** Subresource Integrity metadata (SRI §3.1) and, quoted, the CSP hash-source: `sha384-<base64>`. */
  readonly integrity: string;
  readonly body: Buffer;
}

/** One script's address and hash, from its bytes. */
export function pageScriptOf(name: string, body: Buffer): PageScript {
  const digest = createHash('sha384').update(body).digest();
  return {
    name,
    src: `/assets/${name}?v=${digest.toString('hex').slice(0, 16)}`,
    integrity: `sha384-${digest.toString('base64')}`,
    body,
  };
}

/** Every `.js` file in `dir`, read once. */
export function readPageScripts(dir: URL): ReadonlyMap<string, PageScript> {
  if (!existsSync(dir)) return new Map();
  const names = readdirSync(dir).filter((name) => name.endsWith('.js'));
  return new Map(names.map((name) => [name, pageScriptOf(name, readFileSync(new URL(name, dir)))]));
}

/** The scripts shipped with Gatehouse, read at start like the stylesheet (src/http/asset-routes.ts). */
export const PAGE_SCRIPTS = readPageScripts(new URL('../../interactions/assets/', import.meta.url));

/** A shipped script by file name; a name that is not there is a programming error, found at start. */
export function pageScript(name: string, scripts: ReadonlyMap<string, PageScript> = PAGE_SCRIPTS): PageScript {
  const script = scripts.get(name);
  if (!script) throw new Error(`No page script interactions/assets/${name}`);
  return script;
}

const STATE_KEY = 'pageScriptHashes';

/**
 * Lets this response's page run `script` (and returns it, for the page to name in its
 * `<script>`): the security headers add its hash-source to the page's CSP.
 */
export function allowPageScript(ctx: Context, script: PageScript): PageScript {
  const hashes: string[] = (ctx.state[STATE_KEY] ??= []);
  if (!hashes.includes(script.integrity)) hashes.push(script.integrity);
  return script;
}

/** The hash-sources the page being answered was allowed, quoted for a CSP. */
export function allowedScriptHashes(ctx: Context): string[] {
  return ((ctx.state[STATE_KEY] as string[] | undefined) ?? []).map((hash) => `'${hash}'`);
}
