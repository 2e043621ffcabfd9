import type { Config } from '../config/load-config.js';
import { prepareDatabase } from '../db/prepare-database.js';
import { createContainer, type Container } from '../container.js';

/** Runs `fn` against an up-to-date database, then releases every connection. */
export async function withContainer<T>(config: Config, fn: (container: Container) => Promise<T>): Promise<T> {
  const { kek } = await prepareDatabase(config);
  const container = await createContainer(config, kek.key);
  try {
    return await fn(container);
  } finally {
    await container.close();
  }
}
