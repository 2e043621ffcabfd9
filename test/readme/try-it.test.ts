import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseWithStdin, pipedStdin } from '../support/run-gatehouse.js';
import { emptyStdin } from '../../src/cli/cli-stdin.js';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';
import { startNodeApp } from '../support/node-app.js';
import type { Page } from 'playwright-core';

// Set SCREENSHOT_DIR (e.g. docs/screenshots) to refresh the README's pictures from this run.
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

/** The page at desktop and phone widths, as `<name>-desktop.png` and `<name>-phone.png`. */
async function screenshots(page: Page, name: string) {
  if (!SCREENSHOT_DIR) return;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(WIDTHS.desktop);
}

const ROOT = new URL('../../', import.meta.url);
const APPS: Record<string, string> = {
  'example:app': 'examples/relying-party/app.mjs',
  'example:api': 'examples/api/server.mjs',
};

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let dir: string;
let ports: { app: number; api: number };
const started: Awaited<ReturnType<typeof startNodeApp>>[] = [];

/** The README's `sh try-it` blocks, with its ports moved to the ones this test uses. */
async function tryItBlocks(): Promise<string[][]> {
  const readme = await readFile(new URL('README.md', ROOT), 'utf8');
  return [...readme.matchAll(/```sh try-it\n([\s\S]*?)```/g)].map(([, body]) =>
    (body as string)
      .replaceAll('http://localhost:3000', server.url)
      .replaceAll('localhost:4000', `localhost:${ports.api}`)
      .replaceAll('localhost:8080', `localhost:${ports.app}`)
      .split('\n')
      .filter((line) => line.trim() !== ''),
  );
}

/** Shell words: 'single', "double" and bare. */
const words = (line: string) =>
  [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? (m[3] as string));

/**
 * Runs one README line: `gatehouse` in-process (what `./bin/gatehouse.js` runs, without the process
 * start-up), `npm run example:*` as a real process, and anything else with bash, in `dir`.
 */
async function run(lines: string[]): Promise<string> {
  const shell: string[] = [];
  for (const line of lines) {
    const gatehouse = /^(?:printf '%s\\n' '([^']*)' \| )?\.\/bin\/gatehouse\.js (.*?)(?: > (\S+))?$/.exec(line);
    const example = /^npm run (example:\w+)$/.exec(line);
    if (gatehouse) {
      const [, password, args, target] = gatehouse;
      const result = await gatehouseWithStdin(
        { DATABASE_URL: server.database.url },
        password === undefined ? emptyStdin : pipedStdin(`${password}\n`),
        ...words(args as string),
      );
      if (result.code !== 0) throw new Error(`${line}\n${result.stdout}${result.stderr}`);
      if (target) await writeFile(join(dir, target), result.stdout);
    } else if (example) {
      started.push(
        await startNodeApp(
          new URL(APPS[example[1] as string] as string, ROOT),
          {
            ISSUER: server.url,
            API: `http://localhost:${ports.api}`,
            PORT: String(example[1] === 'example:app' ? ports.app : ports.api),
          },
          dir,
        ),
      );
    } else {
      shell.push(line);
    }
  }
  if (shell.length === 0) return '';
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', shell.join('\n')], {
    cwd: dir,
    env: { ...process.env, NODE_PATH: '' },
  });
  return stdout;
}

beforeAll(async () => {
  server = await startTestServer();
  chromium = await launchChromium();
  ports = { app: await freePort(), api: await freePort() };
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-try-it-'));
  await mkdir(join(dir, 'examples'));
});

afterAll(async () => {
  for (const app of started) await app.stop();
  await chromium?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the README\'s "Try it" section, run as written', () => {
  it("registers a person, an API and the example app, signs in there in Chromium, and sees the claims and the API's answer; then client_credentials and introspection with curl", async () => {
    const [setup, apps, machines] = await tryItBlocks();
    expect([setup, apps, machines].every((block) => block && block.length > 0)).toBe(true);
    await run(setup as string[]);
    await run(apps as string[]);

    const context = await chromium.browser.newContext();
    try {
      const page = await context.newPage();
      await page.setViewportSize(WIDTHS.desktop);
      await page.goto(`http://localhost:${ports.app}/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await screenshots(page, 'sign-in');
      await page.getByLabel('Email').fill('ada@example.com');
      await page.getByLabel('Password').fill('my first gatehouse password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('button', { name: 'Allow' }).waitFor();
      await screenshots(page, 'consent');
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(`http://localhost:${ports.app}/callback?**`);
      const shown = JSON.parse(await page.locator('body').innerText()) as {
        id_token_claims: Record<string, unknown>;
        api_answer: Record<string, unknown>;
      };
      expect(shown.id_token_claims).toMatchObject({ email: 'ada@example.com', iss: server.url });
      expect(shown.api_answer).toMatchObject({ hello: shown.id_token_claims.sub, scope: 'read' });
      // Same browser: the account console lists the example app.
      await page.goto(`${server.url}/account`);
      await page.getByRole('heading', { name: 'Your account' }).waitFor();
      expect(await page.textContent('body')).toContain('Example app');
      await screenshots(page, 'console');
    } finally {
      await context.close();
    }

    const [apiAnswer, introspection] = (await run(machines as string[]))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(apiAnswer).toMatchObject({ hello: expect.any(String), scope: 'read' });
    expect(introspection).toMatchObject({ active: true, scope: 'read', aud: `http://localhost:${ports.api}` });
  });
});
