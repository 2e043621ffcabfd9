import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// .npmrc makes `npm install` refuse a Node.js outside package.json's "engines". Tried on a copy
// of the manifest, lockfile and .npmrc, as a dry run without scripts or network: the checkout's
// node_modules is never touched, whatever the answer.
// One npm (the one on PATH) run by either Node, as `npm install` runs under whichever is first on PATH.
const OLD_NODE = '/usr/bin/node';
const NPM_CLI = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-npmrc-'));
  for (const file of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(file, join(dir, file));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const install = (node: string) =>
  spawnSync(node, [NPM_CLI, 'install', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });

describe('.npmrc', () => {
  it('makes npm install under Node 20 refuse, naming the Node.js it requires', () => {
    const run = install(OLD_NODE);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('EBADENGINE');
    expect(run.stderr).toMatch(/Required: \{"node":">=22\.12"\}/);
    expect(run.stderr).toMatch(/Actual: +\{"node":"v20\./);
  });

  it('lets npm install under this Node (22) go ahead', () => {
    const run = install(process.execPath);
    expect(run.stderr).not.toContain('EBADENGINE');
    expect(run.status).toBe(0);
  });
});
