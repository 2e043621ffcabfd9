import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import { cliExitCode } from './cli-exit-code.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
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

const GLOBAL_HELP = () =>
  [
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
  /** The one way out on failure: the error's code and message, and its exit code (src/cli/cli-exit-code.ts). */
  const fail = (error: GatehouseError, help?: string) => {
    const { code, message } = error;
    if (json) io.stdout(JSON.stringify({ error: { code, message } }));
    else io.stderr(`gatehouse: ${message}${help ? `\n\n${help}` : ''}`);
    return cliExitCode(error);
  };

  const { command, rest, group } = resolve(argv);
  if (!command) {
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
      const groupCommands = commands.filter((c) => c.path[0] === group);
      io.stdout(
        groupCommands.length
          ? groupCommands.map((c) => `${c.path.join(' ')}: ${c.summary}\n  ${c.usage}`).join('\n\n')
          : GLOBAL_HELP(),
      );
      return 0;
    }
    return fail(
      new UsageError(`unknown command: ${argv.filter((a) => !a.startsWith('-')).join(' ') || '(none)'}`),
      json ? undefined : GLOBAL_HELP(),
    );
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
    return fail(new UsageError((error as Error).message), json ? undefined : commandHelp(command));
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
    // Our errors carry a stable code and a message meant for people (a usage mistake adds the
    // command's help); anything else is a bug.
    if (error instanceof GatehouseError)
      return fail(error, error instanceof UsageError && !json ? commandHelp(command) : undefined);
    return fail(
      new GatehouseError(
        'ERR_INTERNAL',
        `unexpected failure: ${(error as { message?: string } | undefined)?.message ?? String(error)}`,
      ),
    );
  }
}
