import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The trap: `npm install` under Node 20 builds better-sqlite3 for Node 20; run under 22 it cannot
// load. The machines carry Node 20 at /usr/bin/node and node_modules is built for this Node (22),
// so running the sources under /usr/bin/node loads a real addon of another Node: the real
// ERR_DLOPEN_FAILED, the same mismatch in the other direction.
const OTHER_NODE = '/usr/bin/node';
const MIGRATE = resolve('src/db/migrate.ts');

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-abi-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `call` (pendingMigrations or migrate) from the sources under the other Node; its error. */
function failureUnderOtherNode(call: 'pendingMigrations' | 'migrate'): { code: string; message: string } {
  const script = join(dir, `${call}.mts`);
  writeFileSync(
    script,
    [
      `import { ${call} } from ${JSON.stringify(MIGRATE)};`,
      `try { await ${call}(${JSON.stringify(`file:${join(dir, 'gatehouse.db')}`)}); console.log('{}'); }`,
      'catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }',
    ].join('\n'),
  );
  const run = spawnSync(OTHER_NODE, ['--import', 'tsx', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout.trim().split('\n').pop() as string);
}

describe('a native module built for another Node.js', () => {
  it('runs under a Node.js of another ABI than the one node_modules was built for', () => {
    const other = spawnSync(OTHER_NODE, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim();
    expect(other).not.toBe(process.versions.modules);
  });

  it('makes the server and the writing commands say so and name `npm rebuild`, not blame the disk', () => {
    const failure = failureUnderOtherNode('migrate');
    expect(failure.code).toBe('ERR_NATIVE_MODULE_MISMATCH');
    expect(failure.message).toMatch(/^better-sqlite3 was built for another Node\.js/);
    expect(failure.message).toContain('run `npm rebuild`');
    expect(failure.message).not.toMatch(/read-only|full|writable/);
  });

  it('makes the read-only commands say the same, with both ABI versions, not ask for a migration', () => {
    const failure = failureUnderOtherNode('pendingMigrations');
    expect(failure.code).toBe('ERR_NATIVE_MODULE_MISMATCH');
    expect(failure.message).toMatch(
      /^better-sqlite3 was built for another Node\.js \(NODE_MODULE_VERSION \d+; Node\.js v\d+\.\d+\.\d+ needs \d+\)/,
    );
    expect(failure.message).toContain('run `npm rebuild`');
  });
});
