import { randomUUID } from 'node:crypto';
import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';

let api: AdminApiHarness;
let reader: string;

beforeAll(async () => {
  api = await startAdminApi();
  reader = await api.token('admin:read');
  // 500 accounts straight into the table (an argon2 hash each would take minutes), many sharing a
  // creation time, so paging must order by id within one.
  const base = Date.UTC(2026, 0, 1);
  await api.container.db.account.createMany({
    data: Array.from({ length: 500 }, (_, i) => ({
      id: randomUUID(),
      email: `person${String(i).padStart(3, '0')}@example.com`,
      passwordHash: 'not-a-hash',
      createdAt: new Date(base + Math.floor(i / 7) * 1000),
      disabled: i % 10 === 0,
    })),
  });
});

afterAll(async () => {
  await api.close();
});

async function pageThrough(query: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const answer = await api.call(
      'GET',
      `/users?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: reader },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...answer.body.items.map((u: { email: string }) => u.email));
    cursor = answer.body.next_cursor;
  } while (cursor);
  return seen;
}

describe('paging through users', () => {
  it('goes through 500 users without a duplicate or a gap, at the default size and at the largest', async () => {
    const all = Array.from({ length: 500 }, (_, i) => `person${String(i).padStart(3, '0')}@example.com`);
    const first = await api.call('GET', '/users', { token: reader });
    expect(first.body.items).toHaveLength(50);
    for (const limit of [50, 200]) {
      const seen = await pageThrough('', limit);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(all);
    }
    const disabled = await pageThrough('&status=disabled', 13);
    expect(disabled).toHaveLength(50);
  });

  it('refuses a tampered cursor and one from another query, then goes on with the real one', async () => {
    const first = await api.call('GET', '/users?limit=10', { token: reader });
    const cursor = first.body.next_cursor as string;
    const [data, mac] = cursor.split('.') as [string, string];
    const forged = `${Buffer.from(JSON.stringify({ s: 'users:{}', p: ['1970-01-01T00:00:00.000Z', ''] })).toString('base64url')}.${mac}`;
    const tampered = await api.call('GET', `/users?limit=10&cursor=${forged}`, { token: reader });
    expect(tampered.body).toMatchObject({ status: 400, code: 'ERR_CURSOR_INVALID' });
    const elsewhere = await api.call('GET', `/users?limit=10&status=disabled&cursor=${data}.${mac}`, { token: reader });
    expect(elsewhere.body).toMatchObject({ status: 400, code: 'ERR_CURSOR_INVALID' });
    const next = await api.call('GET', `/users?limit=10&cursor=${cursor}`, { token: reader });
    const emails = (page: { body: { items: { email: string }[] } }) => page.body.items.map((u) => u.email);
    expect(emails(next)).toHaveLength(10);
    expect(emails(next).filter((e) => emails(first).includes(e))).toEqual([]);
  });
});
