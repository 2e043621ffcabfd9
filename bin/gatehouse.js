#!/usr/bin/env node
// The `gatehouse` command (and `npm start`). It runs the bundle that scripts/build.js made in
// dist/ at install time: one build for the server and the CLI, with no TypeScript loader at run
// time. Written to parse on any Node, so an unsupported one gets one clear line, not a stack.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

const REQUIRED = [22, 12];
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < REQUIRED[0] || (major === REQUIRED[0] && minor < REQUIRED[1])) {
  process.stderr.write(
    `gatehouse: needs Node.js 22 LTS (22.12 or later), but this is Node.js ${process.version}; install 22 from https://nodejs.org/ or with \`nvm install 22\` (see .nvmrc and README.md).\n`,
  );
  process.exit(1);
}

const root = new URL('../', import.meta.url);
const entry = new URL('dist/gatehouse.js', root);
const stamp = new URL('dist/build-stamp', root);
if (!existsSync(entry) || !existsSync(stamp)) {
  process.stderr.write(
    'gatehouse: the compiled JavaScript is missing; run `npm run build` (npm install does it too).\n',
  );
  process.exit(1);
}

// A checkout whose sources changed since the build would run old code: say so (development uses
// `npm run dev`, which runs the sources).
const built = statSync(stamp).mtimeMs;
const newer = (dir) =>
  existsSync(dir) &&
  readdirSync(dir, { recursive: true, withFileTypes: true }).some(
    (e) => e.isFile() && statSync(join(e.parentPath, e.name)).mtimeMs > built,
  );
if (['src/', 'interactions/', 'prisma/'].some((dir) => newer(new URL(dir, root)))) {
  process.stderr.write('gatehouse: warning: sources changed since the last build; run `npm run build` to run them.\n');
}

// Prisma compiles its queries in WebAssembly. By default V8 recompiles the module's hot functions
// with its optimising compiler on background threads, and Node waits for those threads before a
// process exits: about 0.4 s added to every CLI command, and 35 to 80 MB of peak memory in the
// server, for code that no hot path runs (the token endpoints use prepared statements).
// Liftoff, V8's baseline WebAssembly compiler, is enough (docs/benchmarks.md, "CLI and start-up").
// Set before anything compiles WebAssembly.
setFlagsFromString('--liftoff-only');

await import(entry.href);
