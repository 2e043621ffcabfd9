import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import argon2 from 'argon2';
import { useCliDatabase } from '../../support/use-cli-database.js';
import { gatehouse, gatehouseWithStdin, pipedStdin } from '../../support/run-gatehouse.js';
import { createPrisma } from '../../../src/db/create-prisma.js';
import { emptyStdin, promptHidden, type CliStdin } from '../../../src/cli/cli-stdin.js';

const cli = useCliDatabase();

/** Whether `password` is exactly the one stored for `email` (nothing added, nothing cut). */
async function storedPasswordIs(email: string, password: string): Promise<boolean> {
  const db = createPrisma(cli.database.url);
  try {
    const account = await db.account.findUniqueOrThrow({ where: { email } });
    return await argon2.verify(account.passwordHash, password);
  } finally {
    await db.$disconnect();
  }
}

/** A terminal whose person types `answers`, one per prompt; records the prompts. */
function terminal(...answers: string[]): CliStdin & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    ...emptyStdin,
    isTTY: true,
    prompts,
    readHidden: async (prompt) => {
      prompts.push(prompt);
      return answers.shift() ?? '';
    },
  };
}

/** Runs bin/gatehouse.js as a real process; `stdin` is written to its standard input (a pipe). */
function runBinary(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/gatehouse.js', ...args], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...cli.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('gatehouse user add: the password never has to be an argument (visible in ps and shell history)', () => {
  it('lists --password-stdin first in its help, and says --password is visible to other users', async () => {
    const help = (await gatehouse(cli.env, 'user', 'add', '--help')).stdout;
    expect(help.indexOf('--password-stdin')).toBeGreaterThan(-1);
    expect(help.indexOf('--password-stdin')).toBeLessThan(help.indexOf('--password P'));
    expect(help).toMatch(/--password P .*other users .*\(ps\)/);
  });

  it('reads the password from the first line of stdin, without its line ending', async () => {
    const result = await gatehouseWithStdin(
      cli.env,
      pipedStdin('correct horse battery staple\r\nsecond line\n'),
      'user',
      'add',
      '--email',
      'stdin@example.com',
      '--password-stdin',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ email: 'stdin@example.com' });
    expect(await storedPasswordIs('stdin@example.com', 'correct horse battery staple')).toBe(true);
  });

  it('works as a real process with the password piped in (bin/gatehouse.js)', async () => {
    const result = await runBinary(
      ['user', 'add', '--email', 'piped@example.com', '--password-stdin', '--json'],
      'a piped passphrase here\n',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ email: 'piped@example.com' });
    expect(await storedPasswordIs('piped@example.com', 'a piped passphrase here')).toBe(true);
  });

  it('asks twice on a terminal when no password option is given, and creates nothing when they differ', async () => {
    const differ = terminal('first try passphrase', 'second try passphrase');
    const refused = await gatehouseWithStdin(cli.env, differ, 'user', 'add', '--email', 'typo@example.com', '--json');
    expect(refused.code).toBe(2);
    expect(refused.json()).toMatchObject({ error: { code: 'ERR_USAGE', message: expect.stringMatching(/differ/) } });
    expect(differ.prompts).toEqual(['Password: ', 'Repeat password: ']);

    const same = await gatehouseWithStdin(
      cli.env,
      terminal('typed passphrase ok', 'typed passphrase ok'),
      'user',
      'add',
      '--email',
      'typed@example.com',
      '--json',
    );
    expect(same.code).toBe(0);
    expect(await storedPasswordIs('typed@example.com', 'typed passphrase ok')).toBe(true);
    const users = (await gatehouse(cli.env, 'user', 'list', '--json'))
      .json<{ users: { email: string }[] }>()
      .users.map((u) => u.email);
    expect(users).not.toContain('typo@example.com');
  });

  it('on a real pseudo-terminal (util-linux `script`), asks without echoing what is typed', async () => {
    const child = spawn(
      'script',
      ['-qec', 'node bin/gatehouse.js user add --email pty@example.com --json', '/dev/null'],
      {
        env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...cli.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const shows = async (text: string) => {
      const deadline = Date.now() + 20_000;
      while (!screen.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    };
    // Typed only once the prompt shows: before raw mode the terminal itself would echo it.
    await shows('Password: ');
    child.stdin.write('typed on a terminal\r');
    await shows('Repeat password: ');
    child.stdin.write('typed on a terminal\r');
    expect(await exited).toBe(0);
    expect(screen).toContain('"email":"pty@example.com"');
    expect(screen).not.toContain('typed on a terminal');
    expect(await storedPasswordIs('pty@example.com', 'typed on a terminal')).toBe(true);
  });

  it('refuses, with usage help, no password at all without a terminal, an empty one, or both options', async () => {
    const none = await gatehouse(cli.env, 'user', 'add', '--email', 'none@example.com');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--password-stdin/);
    expect(
      (
        await gatehouseWithStdin(
          cli.env,
          pipedStdin('\n'),
          'user',
          'add',
          '--email',
          'empty@example.com',
          '--password-stdin',
        )
      ).stderr,
    ).toMatch(/password is empty/);
    const both = await gatehouseWithStdin(
      cli.env,
      pipedStdin('x\n'),
      'user',
      'add',
      '--email',
      'both@example.com',
      '--password-stdin',
      '--password',
      'y',
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/one way/);
  });
});

describe('the hidden prompt (driven through streams: raw mode is what keeps a terminal from echoing)', () => {
  it('writes only the prompt, honours backspace, ends at Enter, and turns raw mode off again', async () => {
    const input = Object.assign(new PassThrough(), {
      modes: [] as boolean[],
      setRawMode(raw: boolean) {
        this.modes.push(raw);
      },
    });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => {
      shown += chunk.toString();
    });
    const answer = promptHidden(input, output, 'Password: ');
    input.write('secret passx\u007fphrase\r');
    expect(await answer).toBe('secret passphrase');
    expect(shown).toBe('Password: \n');
    expect(input.modes).toEqual([true, false]);
  });

  it('gives up on Ctrl-C with ERR_CANCELLED', async () => {
    const input = new PassThrough();
    const answer = promptHidden(input, new PassThrough(), 'Password: ');
    input.write('half\u0003');
    await expect(answer).rejects.toMatchObject({ code: 'ERR_CANCELLED' });
  });
});
