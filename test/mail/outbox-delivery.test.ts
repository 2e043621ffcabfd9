import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { mailCatcher, linkIn, type MailCatcher } from '../support/mail-catcher.js';
import { backchannelReceiver } from '../support/backchannel-receiver.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { relyingParty } from '../support/relying-party.js';
import { createPrisma, type Db } from '../../src/db/create-prisma.js';

const PASSWORD = 'a long and quiet river';
const NEW_PASSWORD = 'another long and quiet river';
const FROM = 'Gatehouse <no-reply@gatehouse.test>';

let catcher: MailCatcher;
let server: TestServer;
let env: Record<string, string>;
let db: Db;
let nextIp = 1;

/** Every request from its own address, so the per-address budget of one test never reaches another's. */
const askReset = (email: string) =>
  new UserAgent(server.url).post('/password/forgot', { email }, { 'x-forwarded-for': `203.0.113.${nextIp++}` });
const serverEnv = () => ({
  SMTP_URL: catcher.url,
  MAIL_FROM: FROM,
  OUTBOX_INTERVAL_SECONDS: '1',
  TRUST_PROXY: 'true',
  OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const addUser = (email: string) => gatehouseJson(env, 'user', 'add', '--email', email, '--password', PASSWORD);
const audit = async (email?: string) =>
  (
    await gatehouseJson<{
      events: {
        type: string;
        outcome: string;
        reason: string | null;
        clientId: string | null;
        detail: Record<string, unknown> | null;
      }[];
    }>(env, 'audit', ...(email ? ['--email', email] : []), '--limit', '200')
  ).events;

beforeAll(async () => {
  catcher = await mailCatcher();
  server = await startTestServer(serverEnv());
  env = { DATABASE_URL: server.database.url };
  db = createPrisma(server.database.url);
});

afterAll(async () => {
  await db.$disconnect();
  await server.close();
  await catcher.close();
});

describe('gatehouse mail test', () => {
  it('sends a test message through SMTP_URL at once', async () => {
    const sent = await gatehouseJson<{ sent: boolean; to: string }>(
      { ...env, SMTP_URL: catcher.url, MAIL_FROM: FROM },
      'mail',
      'test',
      '--to',
      'operator@example.com',
    );
    expect(sent).toEqual({ sent: true, to: 'operator@example.com' });
    const [mail] = await catcher.waitFor('operator@example.com');
    expect(mail).toMatchObject({ from: 'no-reply@gatehouse.test', subject: 'Test message · Gatehouse' });
    expect(mail?.text).toContain('Mail works.');
  });

  it('says mail is off without SMTP_URL (exit 2), and what the SMTP server said when it fails (exit 1)', async () => {
    const off = await gatehouse(env, 'mail', 'test', '--to', 'operator@example.com', '--json');
    expect(off.code).toBe(2);
    expect(off.json()).toMatchObject({
      error: { code: 'ERR_USAGE', message: expect.stringContaining('set SMTP_URL') },
    });
    const down = await gatehouse(
      { ...env, SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: FROM },
      'mail',
      'test',
      '--to',
      'operator@example.com',
      '--json',
    );
    expect(down.code).toBe(1);
    expect(down.json()).toMatchObject({
      error: { code: 'ERR_MAIL_FAILED', message: expect.stringContaining('could not send through 127.0.0.1:1') },
    });
  });

  it('refuses a MAIL_FROM without SMTP_URL, and SMTP_URL without MAIL_FROM, saying what to set', async () => {
    const noFrom = await gatehouse({ ...env, SMTP_URL: catcher.url }, 'mail', 'test', '--to', 'a@example.com');
    expect(noFrom.code).toBe(1);
    expect(noFrom.stderr).toContain('MAIL_FROM: is required with SMTP_URL');
    const badUrl = await gatehouse(
      { ...env, SMTP_URL: 'http://mail.example.com', MAIL_FROM: FROM },
      'mail',
      'test',
      '--to',
      'a@example.com',
    );
    expect(badUrl.stderr).toContain('SMTP_URL: must be an SMTP URL');
  });
});

describe('the outbox', () => {
  it("mails plain text and HTML naming the product and the issuer's host, never a password", async () => {
    await addUser('ada@example.com');
    expect((await askReset('ada@example.com')).status).toBe(200);
    const [mail] = await catcher.waitFor('ada@example.com');
    expect(mail?.subject).toBe('Reset your password · Gatehouse');
    expect(mail?.text).toContain(`Gatehouse (${new URL(server.config.issuer).host})`);
    expect(mail?.html).toContain('Choose a new password</a>');
    expect(mail?.text).not.toContain(PASSWORD);
    // Once sent, the stored copy no longer holds the link. The row is marked just after the SMTP
    // server accepted the message, so the test may get here first: give it a moment.
    let rows = await db.outboxMessage.findMany({ where: { kind: 'mail', status: 'sent' } });
    for (let tries = 0; rows.length === 0 && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await db.outboxMessage.findMany({ where: { kind: 'mail', status: 'sent' } });
    }
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.payload).toBe('');
  });

  it('loses nothing in a mail-server outage: retried with backoff, logged and audited, delivered once it is back', async () => {
    await addUser('grace@example.com');
    await catcher.stop();
    expect((await askReset('grace@example.com')).status).toBe(200);
    // The server keeps trying meanwhile (1 s, then 2 s…), and records the first failure.
    await sleep(2500);
    const row = await db.outboxMessage.findFirst({ where: { kind: 'mail', status: 'pending' } });
    expect(row?.attempts).toBeGreaterThanOrEqual(1);
    expect(row?.lastError).toBeTruthy();
    expect(row?.nextAttemptAt.getTime()).toBeGreaterThan(row?.createdAt.getTime() as number);
    expect((await audit()).find((e) => e.type === 'mail.delivery')).toMatchObject({
      outcome: 'failure',
      reason: 'will_retry',
    });
    expect(catcher.to('grace@example.com')).toHaveLength(0);

    await catcher.start();
    expect(await catcher.waitFor('grace@example.com', 1, 15_000)).toHaveLength(1);
    await sleep(1500);
    expect(catcher.to('grace@example.com')).toHaveLength(1);
  });

  it('survives a restart: what was queued before the server stopped goes out after it starts again, once', async () => {
    await addUser('alan@example.com');
    await catcher.stop();
    expect((await askReset('alan@example.com')).status).toBe(200);
    await sleep(1200);
    await server.stop();
    await catcher.start();
    server = await startTestServer(serverEnv(), server.database);
    expect(await catcher.waitFor('alan@example.com', 1, 15_000)).toHaveLength(1);
    await sleep(1500);
    expect(catcher.to('alan@example.com')).toHaveLength(1);
  });

  it('never sends again a link already used, even when a crash came between sending it and recording that', async () => {
    await addUser('edsger@example.com');
    await catcher.stop();
    await askReset('edsger@example.com');
    // The resolved request waits in the outbox as a mail carrying a link; keep its stored form.
    let pending;
    for (let i = 0; i < 50 && !pending; i += 1) {
      pending = await db.outboxMessage.findFirst({
        where: { kind: 'mail', status: 'pending', tokenId: { not: null } },
      });
      if (!pending) await sleep(100);
    }
    expect(pending).toBeTruthy();
    await catcher.start();
    const [mail] = await catcher.waitFor('edsger@example.com', 1, 15_000);
    const agent = new UserAgent(server.url);
    const done = await agent.post('/password/reset', {
      token: new URL(linkIn(mail as never)).searchParams.get('token') as string,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(done.status).toBe(200);

    // As if the server had crashed right after sending, before marking the row sent: it is pending again.
    await db.outboxMessage.update({
      where: { id: pending?.id as string },
      data: {
        status: 'pending',
        payload: pending?.payload as string,
        attempts: 0,
        nextAttemptAt: new Date(),
        doneAt: null,
      },
    });
    for (let i = 0; i < 50; i += 1) {
      if ((await db.outboxMessage.findUnique({ where: { id: pending?.id as string } }))?.status !== 'pending') break;
      await sleep(100);
    }
    expect((await db.outboxMessage.findUnique({ where: { id: pending?.id as string } }))?.status).toBe('dropped');
    // Only the reset link and the "password changed" notice ever arrived.
    expect((await catcher.waitFor('edsger@example.com', 2)).map((m) => m.subject)).toEqual([
      'Reset your password · Gatehouse',
      'Your password was changed · Gatehouse',
    ]);
  });
});

describe('back-channel logout notices asked for by the CLI go through the outbox (Back-Channel Logout §2.8 never silent)', () => {
  it('an RP that is down is retried with backoff until it answers; the failure is logged and audited', async () => {
    const receiver = await backchannelReceiver();
    try {
      const REDIRECT = 'https://notes.example/cb';
      const client = await gatehouseJson<{ client_id: string; client_secret: string }>(
        env,
        'client',
        'add',
        '--name',
        'Notes',
        '--redirect-uri',
        REDIRECT,
        '--backchannel-logout-uri',
        receiver.url,
        '--first-party',
      );
      await addUser('barbara@example.com');
      const rp = await relyingParty(server.config.issuer, client, REDIRECT);
      const request = await rp.authorizationRequest({ scope: 'openid' });
      const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
        email: 'barbara@example.com',
        password: PASSWORD,
      });
      const sid = (await rp.redeem(callback as URL, request)).claims()?.sid;

      receiver.refuseNext(2);
      await gatehouseJson(env, 'session', 'revoke', '--email', 'barbara@example.com');
      const [token] = await receiver.received(1, 15_000);
      expect(receiver.refused).toBe(2);
      expect(token).toBeTruthy();
      expect(JSON.parse(Buffer.from((token as string).split('.')[1] as string, 'base64url').toString())).toMatchObject({
        sid,
      });
      const failure = (await audit('barbara@example.com')).find((e) => e.type === 'backchannel_logout');
      expect(failure).toMatchObject({ outcome: 'failure', reason: 'will_retry', clientId: client.client_id });
    } finally {
      await receiver.close();
    }
  });
});
