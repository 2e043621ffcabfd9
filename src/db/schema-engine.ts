import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { createAdapter } from './create-prisma.js';
import { storeOf } from '../config/load-config.js';

// Prisma's CLI migrates with a native binary downloaded from Prisma's servers. The same engine
// ships as WebAssembly on npm and runs over our driver adapters, so migrations need no download
// and work air-gapped. It records history in `_prisma_migrations` exactly as `migrate deploy` does.

let started: Promise<void> | undefined;

function startWasm(): Promise<void> {
  started ??= (async () => {
    const wasmPath = fileURLToPath(new URL('schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm')));
    const module = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(module, {
      './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports,
    });
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

interface ScriptRunner {
  executeScript(script: string): Promise<void>;
  underlyingDriver(): unknown;
  onError(error: unknown): never;
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it at every `;`, which cuts apart a
 * function body (`$$ … $$`, the client-change trigger's) and even a comment. Prisma's native
 * engine sends the script whole, as one simple query: PostgreSQL then runs it as one implicit
 * transaction, so a migration that fails leaves nothing half applied. This does the same.
 */
function runScriptsWhole(connection: object): void {
  const runner = connection as ScriptRunner;
  const driver = runner.underlyingDriver() as { query?: (text: string) => Promise<unknown> };
  if (typeof driver.query !== 'function' || typeof runner.onError !== 'function') {
    throw new Error('@prisma/adapter-pg no longer exposes its pool and error mapping: migrations cannot run whole');
  }
  runner.executeScript = async (script: string) => {
    try {
      await driver.query?.(script);
    } catch (error) {
      runner.onError(error);
    }
  };
}

/** Opens the schema engine on a database. */
export async function openSchemaEngine(databaseUrl: string, schema: SchemaFile): Promise<OpenEngine> {
  await startWasm();
  const { SchemaEngine: Engine } = bindings as unknown as { SchemaEngine: typeof SchemaEngine };
  const factory = createAdapter(databaseUrl);
  const whole = storeOf(databaseUrl) === 'postgresql';
  // The engine does not close what it connects, so keep hold of every connection to close it.
  const opened: { dispose(): Promise<void> }[] = [];
  const track = <C extends { dispose(): Promise<void> }>(connection: C): C => {
    opened.push(connection);
    if (whole) runScriptsWhole(connection);
    return connection;
  };
  const tracked = Object.assign(Object.create(Object.getPrototypeOf(factory)) as typeof factory, factory, {
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  });
  // The engine reports progress through this callback; nothing there is needed by callers.
  const log = () => undefined;
  const engine = await Engine.new(
    { datamodels: [[schema.path, schema.content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((connection) => connection.dispose()));
    },
  };
}
