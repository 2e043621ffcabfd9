import { execFile } from 'node:child_process';
import type { Config } from '../config/load-config.js';
import { pendingMigrations } from '../db/migrate.js';
import { isErrorCode } from '../kernel/error-codes.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/** What `gatehouse migrate --schema-only --json` prints: its result, or its error. */
type MigrateAnswer = { applied: string[] } | { error: { code: string; message: string } };

/** How this process was started, less its arguments: the same program runs `migrate`. */
const thisProgram = () => [...process.execArgv, process.argv[1] ?? ''];

/**
 * Applies pending migrations in a `gatehouse migrate --schema-only` process of its own, for
 * `gatehouse serve` (which then prepares keys and secrets itself, as ever).
 * The schema engine is WebAssembly that, once loaded, stays resident as long as the process lives
 * (about 12 MB: its module, code and memory; docs/benchmarks.md, "Memory"), so a server that
 * migrated at its start (its first, or the first after an upgrade) kept it until its next
 * restart. With nothing pending, as on every other start, no process is started. An error of the
 * migration is the child's own, with its code and message. Resolves to the migrations applied.
 */
export async function migrateInOwnProcess(config: Config, program = thisProgram()): Promise<string[]> {
  if ((await pendingMigrations(config.databaseUrl)).length === 0) return [];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [...program, 'migrate', '--schema-only', '--json'],
      { env: { ...process.env, DATABASE_URL: config.databaseUrl } },
      (error, out, err) =>
        // A failed migration still prints its JSON error; nothing on stdout is a process that broke.
        out.trim() ? resolve(out) : reject(error ?? new Error(err.trim() || 'no answer')),
    ),
  ).catch((error: unknown) => {
    throw new GatehouseError('ERR_INTERNAL', `gatehouse migrate did not run: ${(error as Error).message}`);
  });
  let answer: MigrateAnswer;
  try {
    answer = JSON.parse(stdout) as MigrateAnswer;
  } catch {
    throw new GatehouseError('ERR_INTERNAL', `gatehouse migrate answered something other than JSON: ${stdout.trim()}`);
  }
  if ('error' in answer) {
    const { code, message } = answer.error;
    throw new GatehouseError(isErrorCode(code) ? code : 'ERR_INTERNAL', message);
  }
  return answer.applied;
}
