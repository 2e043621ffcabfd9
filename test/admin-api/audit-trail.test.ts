import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import { prepareDatabase } from '../../src/boot/prepare-database.js';
import { createContainer, type Container } from '../../src/boot/container.js';
import { systemClock } from '../../src/kernel/clock.js';
import { frozenClock } from '../support/frozen-clock.js';

let api: AdminApiHarness;
let reader: string;
// A second container on the same database, with a clock the test moves: events an hour apart.
let recorder: Container;
const clock = frozenClock(Date.UTC(2026, 5, 1, 8));
const HOUR = 3_600_000;

beforeAll(async () => {
  api = await startAdminApi();
  reader = await api.token('admin:read');
  const { kek } = await prepareDatabase(api.server.config, systemClock);
  recorder = await createContainer(api.server.config, kek.key, clock);
  // 08:00 to 13:00, one event an hour: Ada and Grace alternate, one app, some failures.
  for (let i = 0; i < 6; i += 1) {
    await recorder.audit.record({
      type: 'signin',
      outcome: i % 3 === 2 ? 'failure' : 'success',
      email: i % 2 === 0 ? 'ada@example.com' : 'grace@example.com',
      clientId: i < 3 ? 'notes-app' : 'ledger-app',
      ip: '203.0.113.7',
    });
    clock.advance(HOUR);
  }
});

afterAll(async () => {
  await recorder.close();
  await api.close();
});

const at = (hour: number) => new Date(Date.UTC(2026, 5, 1, hour)).toISOString();
const sign = async (query: string) => {
  const answer = await api.call('GET', `/audit?type=signin&${query}`, { token: reader });
  expect(answer.status).toBe(200);
  return answer.body as {
    items: Array<{ at: string; email: string; client_id: string; outcome: string }>;
    next_cursor: string | null;
  };
};

describe('searching the audit trail over the management API', () => {
  it('finds events by address (in any case), by client and by outcome, newest first', async () => {
    const ada = await sign('email=ADA@example.com');
    expect(ada.items.map((e) => e.at)).toEqual([at(12), at(10), at(8)]);
    expect((await sign('client=ledger-app')).items.map((e) => e.at)).toEqual([at(13), at(12), at(11)]);
    const failures = await sign('outcome=failure');
    expect(failures.items.map((e) => [e.at, e.email])).toEqual([
      [at(13), 'grace@example.com'],
      [at(10), 'ada@example.com'],
    ]);
  });

  it('bounds a time range: since is inclusive, until is not', async () => {
    const range = await sign(`since=${encodeURIComponent(at(9))}&until=${encodeURIComponent(at(12))}`);
    expect(range.items.map((e) => e.at)).toEqual([at(11), at(10), at(9)]);
  });

  it('pages through the matches with the cursor, without a duplicate or a gap, and refuses an unknown outcome', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof sign>> = await sign(`limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((e) => e.at));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([at(13), at(12), at(11), at(10), at(9), at(8)]);
    const wrong = await api.call('GET', '/audit?outcome=maybe', { token: reader });
    expect(wrong.status).toBe(422);
    expect(wrong.body.detail).toMatch(/outcome/);
  });
});
