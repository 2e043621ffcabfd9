import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { createAdapter } from './create-prisma.js';

// Prisma's CLI migrates with a native binary downloaded from Prisma's servers. The same engine
// ships as WebAssembly on npm and runs over our driver adapters, so migrations need no download
// and work air-gapped. It records history in `_prisma_migrations` exactly as `migrate deploy` does.

let started: Promise<void> | undefined;

function startWasm(): Promise<void> {
  started ??= (async () => {
    const wasmPath = fileURLToPath(new URL('schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm')));
    const module = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports });
    const exports = instance.exports as unknown as { __wbindgen_start(): void };
    (bindings as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return started;
}

export interface SchemaFile {
  readonly path: string;
  readonly content: string;
}

/**
 * The engine arms a 10 s timer while it waits for its own migration lock and never clears it,
 * which would hold a finished CLI run or test process open for 10 s. Timers armed while `fn`
 * runs are unref'd: they still fire, they just no longer keep the process alive.
 */
export async function withUnrefTimers<T>(fn: () => Promise<T>): Promise<T> {
  const original = globalThis.setTimeout;
  const patched = ((...args: Parameters<typeof setTimeout>) => original(...args).unref()) as typeof setTimeout;
  globalThis.setTimeout = Object.assign(patched, original);
  try {
    return await fn();
  } finally {
    globalThis.setTimeout = original;
  }
}

export interface OpenEngine {
  readonly engine: SchemaEngine;
  /** Frees the engine and closes every connection it opened. */
  close(): Promise<void>;
}

/** Opens the schema engine on a database. */
export async function openSchemaEngine(databaseUrl: string, schema: SchemaFile): Promise<OpenEngine> {
  await startWasm();
  const { SchemaEngine: Engine } = bindings as unknown as { SchemaEngine: typeof SchemaEngine };
  const factory = createAdapter(databaseUrl);
  // The engine does not close what it connects, so keep hold of every connection to close it.
  const opened: { dispose(): Promise<void> }[] = [];
  const tracked = Object.assign(Object.create(Object.getPrototypeOf(factory)) as typeof factory, factory, {
    connect: async () => {
      const connection = await factory.connect();
      opened.push(connection);
      return connection;
    },
    connectToShadowDb: async () => {
      const connection = await factory.connectToShadowDb();
      opened.push(connection);
      return connection;
    },
  });
  // The engine reports progress through this callback; nothing there is needed by callers.
  const log = () => undefined;
  const engine = await Engine.new({ datamodels: [[schema.path, schema.content]] }, log, bindMigrationAwareSqlAdapterFactory(tracked));
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((connection) => connection.dispose()));
    },
  };
}
