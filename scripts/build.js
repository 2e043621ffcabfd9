#!/usr/bin/env node
// Compiles src/ and interactions/ (generated Prisma clients included) to JavaScript in dist/: what
// `gatehouse` and `npm start` run, so no TypeScript loader sits in the server or the CLI at run
// time (about a second less to start). esbuild strips the types file by file (the sources are
// written for isolatedModules), which takes about a second and needs no type packages, so it runs
// at install time (postinstall) even without dev dependencies; `npm run typecheck` checks types.
// Files the code reads beside itself are copied along; dist/build-stamp records when this ran.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// Built beside, then swapped in: a `gatehouse` started meanwhile never meets a half-written dist/.
const out = join(root, `dist.building-${process.pid}`);

const sources = (dir) => readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
  .map((e) => relative(root, join(e.parentPath, e.name)));

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [...sources('src'), ...sources('interactions')].map((file) => join(root, file)),
  outdir: out,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  bundle: false,
  logLevel: 'warning',
});
// Read at run time relative to the module that reads them (see the `new URL(…, import.meta.url)`s).
for (const file of ['src/accounts/common-passwords.txt', 'interactions/assets', 'prisma']) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  cpSync(join(root, file), join(out, file), { recursive: true });
}
writeFileSync(join(out, 'build-stamp'), `${new Date().toISOString()}\n`);
const old = join(root, `dist.old-${process.pid}`);
if (existsSync(dist)) renameSync(dist, old);
renameSync(out, dist);
rmSync(old, { recursive: true, force: true });
