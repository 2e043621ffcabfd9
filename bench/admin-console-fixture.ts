// A Gatehouse on a fresh SQLite file with `people` accounts and a signed-in administrator (TOTP set
// up through the real sign-in), for the admin console's benchmark (bench/admin-people.ts) and its
// screenshots (scripts/admin-screenshots.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import { loadConfig } from '../src/config/load-config.js';
import { startServer } from '../src/boot/server.js';
import { createLogger } from '../src/kernel/logger.js';
import { createPrisma } from '../src/db/create-prisma.js';
import { runCli } from '../src/cli/run-cli.js';
import { emptyStdin } from '../src/cli/cli-stdin.js';
import { totpCodeAt } from '../src/mfa/totp.js';
import { UserAgent } from '../test/support/user-agent.js';
import { freePort } from '../test/support/free-port.js';

export const ADMIN_EMAIL = 'margaret@example.com';
export const PASSWORD = 'the software is the mission';

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Barbara', 'Edsger', 'Frances', 'Joan', 'Katherine', 'Mary', 'Dorothy'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Liskov', 'Dijkstra', 'Allen', 'Clarke', 'Johnson', 'Jackson'];

export interface SeededConsole {
  readonly url: string;
  /** The SQLite file's URL, for a benchmark that seeds more rows (bench/admin-audit-log.ts). */
  readonly databaseUrl: string;
  /** The administrator's browser: cookies of a session with a second factor. */
  readonly admin: UserAgent;
  /** The TOTP secret the administrator set up (for a browser that signs in again). */
  readonly secret: string;
  /** Runs `gatehouse …` against this server's database. */
  cli(...argv: string[]): Promise<string>;
  close(): Promise<void>;
}

const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;

export async function startSeededConsole({ people }: { people: number }): Promise<SeededConsole> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-admin-'));
  const databaseUrl = `file:${join(dir, 'gatehouse.db')}`;
  const port = await freePort();
  const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' };
  const config = loadConfig({ ...env, PORT: String(port), HOST: '127.0.0.1', ISSUER: `http://127.0.0.1:${port}` });
  const running = await startServer(config, createLogger('silent'));
  const url = `http://127.0.0.1:${port}`;

  const cli = async (...argv: string[]) => {
    let out = '';
    const code = await runCli(argv, {
      stdout: (t) => (out += `${t}\n`),
      stderr: (t) => (out += `${t}\n`),
      env,
      stdin: emptyStdin,
    });
    if (code !== 0) throw new Error(`gatehouse ${argv.join(' ')}: ${out}`);
    return out;
  };

  // The people, written straight to the table (hashing 10,000 passwords would take minutes): one
  // real hash shared by all, a creation time a minute apart, every third with an authenticator app.
  const db = createPrisma(databaseUrl);
  const passwordHash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2 });
  const start = Date.now() - people * 60_000;
  for (let from = 0; from < people; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, people - from) }, (_, k) => {
      const i = from + k;
      const first = FIRST_NAMES[i % FIRST_NAMES.length] as string;
      const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length] as string;
      return {
        id: randomUUID(),
        email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.com`,
        name: `${first} ${last}`,
        passwordHash,
        emailVerified: i % 7 !== 0,
        disabled: i % 41 === 0,
        createdAt: new Date(start + i * 60_000),
      };
    });
    await db.account.createMany({ data: rows });
    await db.totpFactor.createMany({
      data: rows
        .filter((_, k) => (from + k) % 3 === 0)
        .map((row) => ({ accountId: row.id, secret: randomBytes(20).toString('base64url'), confirmedAt: new Date() })),
    });
  }
  await db.$disconnect();

  await cli(
    'user',
    'add',
    '--email',
    ADMIN_EMAIL,
    '--password',
    PASSWORD,
    '--name',
    'Margaret Hamilton',
    '--role',
    'admin',
  );
  const admin = new UserAgent(url);
  const login = await admin.follow(await admin.get('/admin'));
  const setup = await (
    await admin.follow(
      await admin.post(`/interaction/${uidIn(await login.text())}/login`, { email: ADMIN_EMAIL, password: PASSWORD }),
    )
  ).text();
  const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(setup)?.[1] as string;
  const codes = await (
    await admin.post(`/interaction/${uidIn(setup)}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) })
  ).text();
  const next = /href="([^"]+)">Continue/.exec(codes)?.[1] as string;
  const overview = await admin.follow(await admin.get(next.replace(/&amp;/g, '&')));
  if (overview.status !== 200) throw new Error(`the administrator could not sign in: ${overview.status}`);

  return {
    url,
    databaseUrl,
    admin,
    secret,
    cli,
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
