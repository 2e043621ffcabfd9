import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { prepareDatabase } from '../../src/boot/prepare-database.js';
import { createContainer } from '../../src/boot/container.js';
import { createApp } from '../../src/boot/create-app.js';
import { createLogger } from '../../src/kernel/logger.js';
import { frozenClock } from '../support/frozen-clock.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

/** A sign-in form on `target` (a server on the shared database), reached through `/account`. */
async function loginUid(agent: UserAgent): Promise<string> {
  const page = await agent.follow(await agent.get('/account'));
  return /action="\/interaction\/([^/]+)\/login"/.exec(await page.text())?.[1] as string;
}

type Events = { events: { type: string; ip: string; email: string }[] };

describe('the client address behind a trusted proxy (TRUST_PROXY_HOPS)', () => {
  it('is the entry the proxy appended, not a forged leftmost one: rotating it neither escapes the per-address throttle nor reaches the audit trail', async () => {
    const proxied = await startTestServer({ TRUST_PROXY: 'true' }, server.database);
    try {
      const agent = new UserAgent(proxied.url);
      const uid = await loginUid(agent);
      const statuses: number[] = [];
      for (let i = 0; i < 21; i += 1) {
        // The client writes a fresh address each time; the proxy appends the one it saw.
        const headers = { 'x-forwarded-for': `10.66.${i}.1, 203.0.113.9` };
        statuses.push(
          (
            await agent.post(
              `/interaction/${uid}/login`,
              { email: `stuffed${i}@example.com`, password: 'a stuffed password' },
              headers,
            )
          ).status,
        );
      }
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses[20]).toBe(429);
      const audit = await gatehouseJson<Events>(
        { DATABASE_URL: server.database.url },
        'audit',
        '--email',
        'stuffed3@example.com',
      );
      expect(audit.events.map((e) => e.ip)).toEqual(['203.0.113.9']);
    } finally {
      await proxied.stop();
    }
  });

  it('counts TRUST_PROXY_HOPS entries from the right when several proxies append', async () => {
    const proxied = await startTestServer({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' }, server.database);
    try {
      const agent = new UserAgent(proxied.url);
      const uid = await loginUid(agent);
      await agent.post(
        `/interaction/${uid}/login`,
        { email: 'hops@example.com', password: 'a wrong password' },
        { 'x-forwarded-for': '10.66.0.1, 198.51.100.20, 10.0.0.1' },
      );
      const audit = await gatehouseJson<Events>(
        { DATABASE_URL: server.database.url },
        'audit',
        '--email',
        'hops@example.com',
      );
      expect(audit.events.map((e) => e.ip)).toEqual(['198.51.100.20']);
    } finally {
      await proxied.stop();
    }
  });

  it('is read the same way by oidc-provider for the contexts it makes itself', async () => {
    const config = server.database.config({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' });
    const clock = frozenClock(Date.now());
    const { kek } = await prepareDatabase(config, clock);
    const container = await createContainer(config, kek.key, clock);
    try {
      const app = createApp({
        ...container,
        logger: createLogger('silent'),
        trustProxy: config.trustProxy,
        proxyHops: config.proxyHops,
        issuer: config.issuer,
        screenRouters: [],
      });
      const req = new IncomingMessage(new Socket());
      req.headers = { 'x-forwarded-for': '10.66.0.1, 198.51.100.20, 10.0.0.1' };
      const res = new ServerResponse(req);
      expect(app.createContext(req, res).ip).toBe('198.51.100.20');
      expect(container.providers.current().provider.createContext(req, res).ip).toBe('198.51.100.20');
    } finally {
      await container.close();
    }
  });
});
