// Developer tool: writes the next migration for both stores from the difference between each
// store's history and prisma/schema.prisma. Usage: npx tsx scripts/create-migration.ts <name>
// (PostgreSQL needs DATABASE_URL_POSTGRES, a scratch database the engine may use).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { StoreKind } from '../src/config/load-config.js';
import { migrationsDir, readMigrationHistory, readSchema } from '../src/db/migration-history.js';
import { openSchemaEngine } from '../src/db/schema-engine.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npx tsx scripts/create-migration.ts <snake_case_name>');
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const urls: Record<StoreKind, string> = {
  sqlite: `file:${join(tmpdir(), `gatehouse-diff-${process.pid}.db`)}`,
  postgresql: process.env.DATABASE_URL_POSTGRES ?? 'postgresql://postgres@127.0.0.1:5432/test',
};

for (const store of ['sqlite', 'postgresql'] as const) {
  const schema = await readSchema(store);
  const { engine, close } = await openSchemaEngine(urls[store], schema);
  const history = await readMigrationHistory(store);
  const from = history.migrationDirectories.length ? { tag: 'migrations' as const, ...history } : { tag: 'empty' as const };
  const { stdout } = await engine.diff({
    from,
    to: { tag: 'schemaDatamodel', files: [schema] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  await close();
  if (!stdout || /^-- This is an empty migration/.test(stdout.trim())) {
    console.log(`${store}: schema and history already agree`);
    continue;
  }
  const dir = join(migrationsDir(store), `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'migration.sql'), stdout);
  console.log(`${store}: wrote ${dir}/migration.sql`);
}
