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

// `serve` only: some settings take effect only when a process starts, so the server replaces itself
// (same pid, same arguments) once with them set. GATEHOUSE_NO_REEXEC=1, or a Node without
// process.execve (before 22.15), runs as is.
//
// glibc's malloc settings, on Linux (docs/benchmarks.md, "Memory"): argon2 asks for 19 MiB per hash
// on libuv's threads, and by default each thread's arena keeps its own block (about 100 MB after a
// burst of sign-ins). One arena with fixed thresholds keeps one block per concurrent hash and reuses
// it, so no hash pays for the kernel mapping and zeroing the block again (what
// MALLOC_MMAP_THRESHOLD_=1 MiB cost). Any MALLOC_ setting of the operator's wins.
// V8's heap is left at its defaults: a smaller young generation (--max-semi-space-size=4) and a
// capped old one (--max-old-space-size=256) took 30 MB off idle and 100 MB off a long token flood,
// but cost the token endpoints 15 to 35 % more CPU per request (measured side by side); a
// deployment short of memory can set them in NODE_OPTIONS.
const mallocSettings =
  process.platform === 'linux' && !Object.keys(process.env).some((name) => name.startsWith('MALLOC_'))
    ? {
        MALLOC_ARENA_MAX: '1',
        // 19 MiB blocks come from the arena (not mmap, which would return them at every free) …
        MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
        // … and stay there for the next hash unless more than this is free at its top.
        MALLOC_TRIM_THRESHOLD_: String(64 * 1024 * 1024),
      }
    : {};
// AsyncLocalStorage on V8's continuation data rather than on async_hooks, on Node 22 (Node 24 does
// it by default): oidc-provider keeps each request's context in one, the pages theirs in another,
// and with async_hooks every promise of every request paid a hook that copied both stores onto it
// (docs/benchmarks.md: 8 to 13 % of the CPU of a token request, side by side). Unless the operator
// chose either way.
const contextFrames =
  major === 22 &&
  ![...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) =>
    flag.includes('async-context-frame'),
  )
    ? ['--experimental-async-context-frame']
    : [];
const TUNED = 'GATEHOUSE_NO_REEXEC';
if (
  process.argv[2] === 'serve' &&
  !process.env[TUNED] &&
  typeof process.execve === 'function' &&
  (Object.keys(mallocSettings).length > 0 || contextFrames.length > 0)
) {
  const argv = [process.execPath, ...contextFrames, ...process.execArgv, ...process.argv.slice(1)];
  // Before the bundle loads: nothing has run yet that a second start would repeat.
  process.execve(process.execPath, argv, { ...process.env, [TUNED]: '1', ...mallocSettings });
}

// Prisma compiles its queries in WebAssembly. By default V8 recompiles the module's hot functions
// with its optimising compiler on background threads, and Node waits for those threads before a
// process exits: about 0.4 s added to every CLI command, and 35 to 80 MB of peak memory in the
// server, for code that no hot path runs (the token endpoints use prepared statements).
// Liftoff, V8's baseline WebAssembly compiler, is enough (docs/benchmarks.md, "CLI and start-up").
// Set before anything compiles WebAssembly.
setFlagsFromString('--liftoff-only');

await import(entry.href);
