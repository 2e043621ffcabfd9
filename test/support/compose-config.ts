import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { load } from 'js-yaml';

const run = promisify(execFile);

export interface ComposeService {
  readonly image?: string;
  readonly build?: unknown;
  readonly command?: string[];
  readonly environment?: Record<string, string>;
  readonly ports?: unknown[];
  readonly volumes?: unknown[];
  readonly depends_on?: Record<string, { condition: string }>;
  readonly healthcheck?: { test?: string[]; disable?: boolean };
  readonly stop_signal?: string;
}

/** Variables the compose file demands (`${VAR:?…}`), as an operator sets them. */
export const composeSecrets = {
  GATEHOUSE_KEK: Buffer.alloc(32, 9).toString('base64'),
  POSTGRES_PASSWORD: 'compose-test-password',
  GATEHOUSE_HOST: 'localhost',
};

/**
 * docker-compose.yml as Docker Compose itself resolves it (anchors merged, variables substituted,
 * validated against the compose schema): Debian's docker-compose 1.29 does this without an engine.
 */
export async function composeConfig(
  env: Record<string, string> = composeSecrets,
): Promise<{ services: Record<string, ComposeService> }> {
  const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
    env: { PATH: process.env.PATH, ...env },
  });
  return load(stdout) as { services: Record<string, ComposeService> };
}

/** The same, expecting it to fail: resolves to what docker-compose said. */
export async function composeConfigError(env: Record<string, string>): Promise<string> {
  try {
    await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { env: { PATH: process.env.PATH, ...env } });
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error('docker-compose config succeeded');
}
