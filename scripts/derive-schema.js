#!/usr/bin/env node
// Derives prisma/postgresql/schema.prisma from prisma/schema.prisma (the single source of truth).
// Prisma needs one provider per schema file; the data model is identical on both stores.
// `--check` exits 1 when the checked-in copy is stale (CI runs it).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'prisma/schema.prisma');
const target = join(root, 'prisma/postgresql/schema.prisma');

export function deriveSchema(text) {
  const swaps = [
    ['provider = "sqlite"', 'provider = "postgresql"'],
    ['output                 = "../src/generated/sqlite"', 'output                 = "../../src/generated/postgresql"'],
  ];
  let out = text.replace(
    /^\/\/ Gatehouse data model: the single source of truth\.[\s\S]*?\n\n/,
    '// GENERATED from prisma/schema.prisma by scripts/derive-schema.js: do not edit.\n\n',
  );
  for (const [from, to] of swaps) {
    if (!out.includes(from)) throw new Error(`derive-schema: expected "${from}" in prisma/schema.prisma`);
    out = out.replace(from, to);
  }
  return out;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
const derived = isMain ? deriveSchema(readFileSync(source, 'utf8')) : '';
if (!isMain) {
  // imported as a library (scripts/create-migration.ts)
} else if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (current !== derived) {
    console.error('prisma/postgresql/schema.prisma is stale: run `node scripts/derive-schema.js`');
    process.exit(1);
  }
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, derived);
}
