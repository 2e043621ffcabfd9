#!/usr/bin/env node
// Bundles src/ and interactions/ with their dependencies into dist/gatehouse.js: what `gatehouse`
// and `npm start` run, one build for the server and the CLI, with no TypeScript loader at run time.
//
// Why a bundle and not one JavaScript file per source: a CLI call loaded about 1,000 modules, and
// Node's ESM loader spent more time resolving and linking them than the command spent working
// (docs/benchmarks.md, "CLI and start-up"). One file is parsed once. Code reached only through a
// dynamic import (the server, the container) is split into chunks beside it, so `--help` and
// usage errors load neither oidc-provider nor Prisma.
//
// Kept out of the bundle and loaded from node_modules: native addons (better-sqlite3, argon2), the
// Prisma client runtime (it imports its WebAssembly query compiler lazily, per store) and the
// schema engine (read from its package directory). esbuild strips types file by file (the sources
// are written for isolatedModules), so this needs no type packages and runs at install time
// (postinstall) even without dev dependencies; `npm run typecheck` checks types.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// Built beside, then swapped in: a `gatehouse` started meanwhile never meets a half-written dist/.
const out = join(root, `dist.building-${process.pid}`);

// Our modules read files beside themselves (`new URL('./x', import.meta.url)`). In the bundle
// import.meta.url is the bundle's, so each of our files gets its own original location instead,
// relative to the bundle (every output file sits directly in dist/), and the files are copied there.
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(bundler) {
    bundler.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const original = `./${relative(root, path).replaceAll(sep, '/').replace(/\.ts$/, '.js')}`;
      if (!/^\.\/(src|interactions)\//.test(original)) return undefined;
      let contents = await readFile(path, 'utf8');
      if (contents.includes('import.meta.url')) {
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(original)}, import.meta.url).href`);
      }
      if (/^\.\/src\/generated\/[a-z]+\/internal\/class\.js$/.test(original)) {
        contents = await queryCompilerFromFile(contents, original);
      }
      return { contents, loader: 'ts' };
    });
  },
};

// Prisma's generated client embeds its query compiler (WebAssembly) as a base64 string module:
// 4.4 MB of source text that V8 keeps for the module's lifetime, plus the string it exports, which
// the module namespace holds forever after the compiler is built (docs/benchmarks.md, "Memory").
// The bundle reads the same bytes from a .wasm file beside it instead, decoded here once, so
// nothing of it stays on the heap once the module is compiled. Tests and `npm run dev` run the
// generated client unchanged.
const WASM_IMPORT =
  /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/(query_compiler_[a-z]+_bg\.[a-z]+)\.wasm-base64\.mjs)"\)\n\s*return await decodeBase64AsWasm\(wasm\)/;
const queryCompilerFromFile = async (contents, path) => {
  const found = WASM_IMPORT.exec(contents);
  // A Prisma release that loads its compiler some other way: fail the build rather than ship the
  // base64 again unnoticed.
  if (!found) throw new Error(`${path}: Prisma's query compiler import not found; update scripts/build.js`);
  const [, specifier, name] = found;
  const { wasm } = await import(specifier);
  mkdirSync(join(out, 'query-compiler'), { recursive: true });
  writeFileSync(join(out, 'query-compiler', `${name}.wasm`), Buffer.from(wasm, 'base64'));
  // Every output file sits directly in dist/, so the chunk's own import.meta.url finds the file.
  return contents.replace(
    found[0],
    `const { readFile } = await import('node:fs/promises')\n    return new WebAssembly.Module(await readFile(new URL('./query-compiler/${name}.wasm', import.meta.url)))`,
  );
};

rmSync(out, { recursive: true, force: true });
await build({
  ...bundleOptions(root),
  outdir: out,
  sourcemap: true,
  plugins: [ownImportMetaUrl],
  logLevel: 'warning',
});
// V8 keeps every script's source text, and stores a text as one byte per character only when all
// of its characters are Latin-1: one "—" or "’" anywhere (a comment, a page's template) doubles
// the whole chunk, 2.7 MB becoming 5.4 MB of heap. esbuild escapes such characters in strings and
// names but leaves comments and template literals as written, so the rest are escaped here. The
// value is the same (a \uXXXX escape in a string, a template's cooked text or a regular expression
// is the character; in a comment it is only text); only a template's raw text changes, and no
// bundled tag that reads `.raw` is given such characters (String.raw is used on ASCII only).
const beyondLatin1 = /[\u0100-\uffff]/g;
for (const name of readdirSync(out).filter((f) => f.endsWith('.js'))) {
  const file = join(out, name);
  const text = readFileSync(file, 'utf8');
  if (!text.match(beyondLatin1)) continue;
  // After a backslash the escape would be read as text ("\\u2014"): refuse rather than change a value.
  if (/\\[\u0100-\uffff]/.test(text)) throw new Error(`${name}: a non-Latin-1 character after a backslash`);
  const escape = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  // Per UTF-16 code unit, so a character beyond the BMP becomes its surrogate pair, as in a string.
  writeFileSync(file, text.replace(beyondLatin1, escape));
}
// Read at run time beside the module that reads them (see ownImportMetaUrl).
for (const file of ['src/accounts/common-passwords.txt', 'src/i18n/catalogues', 'interactions/assets', 'prisma']) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  cpSync(join(root, file), join(out, file), { recursive: true });
}
writeFileSync(join(out, 'build-stamp'), `${new Date().toISOString()}\n`);
const old = join(root, `dist.old-${process.pid}`);
if (existsSync(dist)) renameSync(dist, old);
renameSync(out, dist);
rmSync(old, { recursive: true, force: true });
