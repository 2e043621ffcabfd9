import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { type Command, type Output, UsageError, type Values } from './command.js';
import { commands } from './commands/index.js';
import { emptyStdin, type CliStdin } from './cli-stdin.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Standard input, for secrets that must not be passed as arguments; empty when left out. */
  readonly stdin?: CliStdin;
}

const GLOBAL_HELP = () => [
  'Gatehouse: OAuth 2 / OpenID Connect authorization server',
  '',
  'Usage: gatehouse <command> [options]',
  '       ./bin/gatehouse.js <command> [options]   (from a checkout; faster than npx gatehouse)',
  '',
  'Commands:',
  ...commands.map((c) => `  ${c.path.join(' ').padEnd(16)} ${c.summary}`),
  '',
  'Every command takes --help; --json prints exactly one JSON object.',
  'Configuration comes from the environment (DATABASE_URL, ISSUER, …): see README.md.',
].join('\n');

const commandHelp = (c: Command) => `${c.summary}\n\nUsage: ${c.usage}`;

/** Finds the command named by the leading words of argv. */
function resolve(argv: string[]): { command?: Command; rest: string[]; group?: string } {
  const words = argv.filter((a) => !a.startsWith('-'));
  const command = commands.find((c) => c.path.every((word, i) => words[i] === word));
  if (!command) return { rest: argv, group: words[0] };
  const rest = [...argv];
  for (const word of command.path) rest.splice(rest.indexOf(word), 1);
  return { command, rest };
}

/** Runs one CLI invocation; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const fail = (code: string, message: string, exitCode: number, help?: string) => {
    if (json) io.stdout(JSON.stringify({ error: { code, message } }));
    else io.stderr(`gatehouse: ${message}${help ? `\n\n${help}` : ''}`);
    return exitCode;
  };

  const { command, rest, group } = resolve(argv);
  if (!command) {
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
      const groupCommands = commands.filter((c) => c.path[0] === group);
      io.stdout(groupCommands.length ? groupCommands.map((c) => `${c.path.join(' ')}: ${c.summary}\n  ${c.usage}`).join('\n\n') : GLOBAL_HELP());
      return 0;
    }
    return fail('ERR_USAGE', `unknown command: ${argv.filter((a) => !a.startsWith('-')).join(' ') || '(none)'}`, 2, json ? undefined : GLOBAL_HELP());
  }

  let values: Values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }) as { values: Values });
  } catch (error) {
    return fail('ERR_USAGE', (error as Error).message, 2, json ? undefined : commandHelp(command));
  }
  if (values.help) {
    io.stdout(commandHelp(command));
    return 0;
  }

  const out: Output = { result: (text, obj) => io.stdout(json ? JSON.stringify(obj) : text) };
  try {
    await command.run(values, loadConfig(io.env), out, io.stdin ?? emptyStdin);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.code, error.message, 2, json ? undefined : commandHelp(command));
    if (error instanceof ConfigError) return fail(error.code, error.message, 1);
    const e = error as { code?: unknown; message?: string };
    // Domain errors carry an ERR_* code and a message meant for people; anything else is a bug.
    if (typeof e.code === 'string' && e.code.startsWith('ERR_')) return fail(e.code, e.message ?? e.code, 1);
    return fail('ERR_INTERNAL', `unexpected failure: ${e.message ?? String(error)}`, 1);
  }
}
