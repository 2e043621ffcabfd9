#!/usr/bin/env node
// Generates the Prisma clients (one per store) offline.
// Prisma's CLI wants a native schema-engine binary it would download from Prisma's servers;
// `generate` never runs it, so any existing file satisfies the check. Migrations run through
// the WebAssembly engine instead (src/db/migrate.ts).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

execFileSync(process.execPath, [join(root, 'scripts/derive-schema.js')], { stdio: 'inherit' });
for (const schema of ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma']) {
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schema], { cwd: root, env, stdio: 'inherit' });
}
