#!/usr/bin/env node
// The `gatehouse` command (and `npm start`). It runs the JavaScript that scripts/build.js compiled
// into dist/ at install time: one build for the server and the CLI, with no TypeScript loader at
// run time. Written to parse on any Node, so an unsupported one gets one clear line, not a stack.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const REQUIRED = [22, 12];
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < REQUIRED[0] || (major === REQUIRED[0] && minor < REQUIRED[1])) {
  process.stderr.write(`gatehouse: needs Node.js 22 LTS (22.12 or later), but this is Node.js ${process.version}; install 22 from https://nodejs.org/ or with \`nvm install 22\` (see .nvmrc and README.md).\n`);
  process.exit(1);
}

const root = new URL('../', import.meta.url);
const entry = new URL('dist/src/cli/main.js', root);
const stamp = new URL('dist/build-stamp', root);
if (!existsSync(entry) || !existsSync(stamp)) {
  process.stderr.write('gatehouse: the compiled JavaScript is missing; run `npm run build` (npm install does it too).\n');
  process.exit(1);
}

// A checkout whose sources changed since the build would run old code: say so (development uses
// `npm run dev`, which runs the sources).
const built = statSync(stamp).mtimeMs;
const newer = (dir) => existsSync(dir) && readdirSync(dir, { recursive: true, withFileTypes: true })
  .some((e) => e.isFile() && statSync(join(e.parentPath, e.name)).mtimeMs > built);
if (['src/', 'interactions/', 'prisma/'].some((dir) => newer(new URL(dir, root)))) {
  process.stderr.write('gatehouse: warning: sources changed since the last build; run `npm run build` to run them.\n');
}

await import(entry.href);
