import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';

// bin/gatehouse.js is what `npm start` and `gatehouse` run. The machines carry an older system
// Node at /usr/bin/node (20): with it, the command must refuse in one line that names the version
// it needs and where to get it, rather than fail somewhere inside with a syntax or API error.
const OLD_NODE = '/usr/bin/node';

describe('bin/gatehouse.js', () => {
  it('under Node 20 prints one line naming Node 22 LTS and how to get it, and exits 1', () => {
    const version = spawnSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
    expect(Number(/^v(\d+)/.exec(version)?.[1])).toBeLessThan(22);
    for (const argv of [['serve'], ['client', 'list', '--json'], []]) {
      const run = spawnSync(OLD_NODE, ['bin/gatehouse.js', ...argv], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/Node\.js 22 LTS/);
      expect(lines[0]).toContain(version);
      expect(lines[0]).toMatch(/nodejs\.org|nvm install 22/);
    }
  });

  it('runs as ./bin/gatehouse.js, the way README.md shows it, with this Node first on PATH; its help names that way', () => {
    const run = spawnSync('./bin/gatehouse.js', ['--help'], {
      encoding: 'utf8',
      env: { PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ +\.\/bin\/gatehouse\.js <command> \[options\]/m);
  });

  it('under Node 22 runs the compiled build (dist/, made by scripts/build.js)', () => {
    const run = spawnSync(process.execPath, ['bin/gatehouse.js', '--help'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: gatehouse <command>');
  });
});
