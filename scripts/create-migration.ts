// Developer tool: writes the next migration for both stores.
//   npx tsx scripts/create-migration.ts <snake_case_name> [--from <git-ref>]
// It diffs the data model as committed at <git-ref> (default HEAD) against prisma/schema.prisma,
// once per store, purely from the two schema texts. (The engine's shadow-database route does not
// work through driver adapters yet.) The migration tests then prove the history replays exactly
// into the current model.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { StoreKind } from '../src/config/load-config.js';
import { migrationsDir, readSchema } from '../src/db/migration-history.js';
import { openSchemaEngine } from '../src/db/schema-engine.js';
// @ts-expect-error plain JS helper shared with the postinstall script
import { deriveSchema } from './derive-schema.js';

const [name] = process.argv.slice(2);
const fromRef = process.argv.includes('--from') ? process.argv[process.argv.indexOf('--from') + 1] : 'HEAD';
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npx tsx scripts/create-migration.ts <snake_case_name> [--from <git-ref>]');
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const urls: Record<StoreKind, string> = {
  sqlite: `file:${join(tmpdir(), `gatehouse-diff-${process.pid}.db`)}`,
  postgresql: process.env.DATABASE_URL_POSTGRES ?? 'postgresql://postgres@127.0.0.1:5432/test',
};
const committedSource = execFileSync('git', ['show', `${fromRef}:prisma/schema.prisma`], { encoding: 'utf8' });

for (const store of ['sqlite', 'postgresql'] as const) {
  const schema = await readSchema(store);
  const before = {
    path: schema.path,
    content: store === 'sqlite' ? committedSource : (deriveSchema(committedSource) as string),
  };
  const { engine, close } = await openSchemaEngine(urls[store], schema);
  const { stdout } = await engine.diff({
    from: { tag: 'schemaDatamodel', files: [before] },
    to: { tag: 'schemaDatamodel', files: [schema] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  await close();
  if (!stdout || /^-- This is an empty migration/.test(stdout.trim())) {
    console.log(`${store}: nothing changed since ${fromRef}`);
    continue;
  }
  const dir = join(migrationsDir(store), `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'migration.sql'), stdout);
  console.log(`${store}: wrote ${dir}/migration.sql`);
}
