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
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
      return { contents, loader: 'ts' };
    });
  },
};

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { gatehouse: join(root, 'src/cli/main.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  external: [
    'better-sqlite3',
    'argon2',
    '@prisma/client',
    '@prisma/client/*',
    '@prisma/schema-engine-wasm',
    '@prisma/schema-engine-wasm/*',
    'pg-native',
    'esbuild',
  ],
  // Bundled CommonJS dependencies call require() for Node's built-ins; ESM output has none.
  banner: {
    js: "import { createRequire as __gatehouseCreateRequire } from 'node:module'; const require = __gatehouseCreateRequire(import.meta.url);",
  },
  plugins: [ownImportMetaUrl],
  logLevel: 'warning',
});
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
