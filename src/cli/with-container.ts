import type { Config } from '../config/load-config.js';
import type { Container } from '../boot/container.js';

/**
 * Runs `fn` against the database, then releases every connection; read-only commands (`list`,
 * `show`, `audit`) never migrate, lock or write (see openContainer).
 *
 * The container is imported here, on first use, not when the CLI starts: `--help` and usage
 * errors then never load oidc-provider or Prisma (scripts/build.js splits them into chunks).
 */
export async function withContainer<T>(
  config: Config,
  fn: (container: Container) => Promise<T>,
  { readOnly = false } = {},
): Promise<T> {
  const { openContainer } = await import('./open-container.js');
  const container = await openContainer(config, { readOnly });
  try {
    return await fn(container);
  } finally {
    await container.close();
  }
}
