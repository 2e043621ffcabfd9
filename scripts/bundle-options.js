// What scripts/build.js asks of esbuild, but where the files go and its plugin: one place, also
// read by test/architecture/start-up-imports.test.ts, which checks what a started server loads.
import { join } from 'node:path';

/** The bundle of `root`'s sources: one entry, chunks split at every dynamic import. */
export const bundleOptions = (root) => ({
  entryPoints: { gatehouse: join(root, 'src/cli/main.ts') },
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Loaded from node_modules (see scripts/build.js): native addons, Prisma's client runtime and
  // schema engine, and what only other platforms or the build itself use.
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
});
