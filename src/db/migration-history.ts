import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import type { StoreKind } from '../config/load-config.js';
import type { SchemaFile } from './schema-engine.js';

const prismaDir = fileURLToPath(new URL('../../prisma/', import.meta.url));

/** Each store keeps its own history, in Prisma's format, next to its schema. */
export function migrationsDir(store: StoreKind): string {
  return join(prismaDir, store === 'sqlite' ? 'migrations' : 'postgresql/migrations');
}

export async function readSchema(store: StoreKind): Promise<SchemaFile> {
  const path = join(prismaDir, store === 'sqlite' ? 'schema.prisma' : 'postgresql/schema.prisma');
  return { path, content: await readFile(path, 'utf8') };
}

/** Reads `prisma/…/migrations/<timestamp>_<name>/migration.sql` folders in order. */
export async function readMigrationHistory(store: StoreKind): Promise<MigrationList> {
  const baseDir = migrationsDir(store);
  const entries = await readdir(baseDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = join(baseDir, 'migration_lock.toml');
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  );
  return {
    baseDir,
    lockfile: { path: lockPath, content: await readFile(lockPath, 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}
