import { runCli } from '../../src/cli/run-cli.js';
import { emptyStdin, readFirstLine, type CliStdin } from '../../src/cli/cli-stdin.js';
import { Readable } from 'node:stream';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as the single JSON object --json promises. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs one `gatehouse …` invocation in-process against the given environment. */
export function gatehouse(env: Record<string, string>, ...argv: string[]): Promise<CliResult> {
  return gatehouseWithStdin(env, emptyStdin, ...argv);
}

/** Standard input that is a pipe carrying `text` (what `printf … | gatehouse` gives). */
export const pipedStdin = (text: string): CliStdin => ({
  ...emptyStdin,
  readLine: () => readFirstLine(Readable.from([text])),
});

/** Runs one in-process invocation with the given standard input. */
export async function gatehouseWithStdin(
  env: Record<string, string>,
  stdin: CliStdin,
  ...argv: string[]
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += `${text}\n`;
    },
    stderr: (text) => {
      stderr += `${text}\n`;
    },
    env: { LOG_LEVEL: 'silent', ...env },
    stdin,
  });
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

/** Runs `gatehouse … --json` and returns its object; a failed command fails the test with its output. */
export async function gatehouseJson<T>(env: Record<string, string>, ...argv: string[]): Promise<T> {
  const result = await gatehouse(env, ...argv, '--json');
  if (result.code !== 0) throw new Error(`gatehouse ${argv.join(' ')} failed: ${result.stdout}${result.stderr}`);
  return result.json<T>();
}
