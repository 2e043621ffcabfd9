import { readdirSync, readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';

// The nice value of each of a process's threads, by thread name, read from /proc (Linux keeps
// one per thread; field 19 of /proc/PID/task/TID/stat, after the parenthesised name).
function niceByThreadName(pid: number): Map<string, number[]> {
  const threads = new Map<string, number[]>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    threads.set(name, [...(threads.get(name) ?? []), nice]);
  }
  return threads;
}

let database: TestDatabase;
let running: ServeProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  running?.child.kill('SIGTERM');
  await running?.exited;
  running = undefined;
});

afterAll(async () => {
  await database.drop();
});

describe('password hashing threads yield the CPU to requests (HASH_THREAD_NICE)', () => {
  it('run at nice 10 by default while the event loop keeps nice 0, and the start log says so', async () => {
    running = await startServeProcess({ DATABASE_URL: database.url });
    const threads = niceByThreadName(running.child.pid as number);
    expect(threads.get('libuv-worker')).toEqual([10, 10, 10, 10]);
    expect(threads.get('node')?.[0]).toBe(0);
    expect(running.log.text).toContain('"threads":4,"nice":10');
  });

  it('are left at the process priority with HASH_THREAD_NICE=0', async () => {
    running = await startServeProcess({ DATABASE_URL: database.url, HASH_THREAD_NICE: '0' });
    const threads = niceByThreadName(running.child.pid as number);
    expect(threads.get('libuv-worker')).toEqual([0, 0, 0, 0]);
    expect(running.log.text).not.toContain('password hashing threads');
  });
});
