import { runCli } from '../../src/cli/run-cli.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as the single JSON object --json promises. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs one `gatehouse …` invocation in-process against the given environment. */
export async function gatehouse(env: Record<string, string>, ...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => { stdout += `${text}\n`; },
    stderr: (text) => { stderr += `${text}\n`; },
    env: { LOG_LEVEL: 'silent', ...env },
  });
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

/** Runs `gatehouse … --json` and returns its object; a failed command fails the test with its output. */
export async function gatehouseJson<T>(env: Record<string, string>, ...argv: string[]): Promise<T> {
  const result = await gatehouse(env, ...argv, '--json');
  if (result.code !== 0) throw new Error(`gatehouse ${argv.join(' ')} failed: ${result.stdout}${result.stderr}`);
  return result.json<T>();
}
