import type { TestServer } from './test-server.js';
import { UserAgent } from './user-agent.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;

/**
 * Signs `email` in to the admin console in a fresh scripted browser: the password, then a code from
 * `secret`, or with no secret the set-up of an authenticator (whose secret is returned). The
 * caller moves the frozen clock to a new 30-second window between two sign-ins (RFC 6238 §5.2).
 */
export async function adminConsoleAgent(
  server: TestServer,
  email: string,
  password: string,
  secret?: string,
): Promise<{ agent: UserAgent; secret: string }> {
  const agent = new UserAgent(server.url);
  const login = await agent.follow(await agent.get('/admin'));
  let page = await (
    await agent.follow(await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email, password }))
  ).text();
  let res: Response;
  if (secret) {
    res = await agent.post(`/interaction/${uidIn(page)}/mfa`, { code: await totpCodeAt(secret, Date.now()) });
  } else {
    secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page)?.[1] as string;
    page = await (
      await agent.post(`/interaction/${uidIn(page)}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) })
    ).text();
    const next = /href="([^"]+)">Continue/.exec(page)?.[1] as string;
    res = await agent.get(next.replace(/&amp;/g, '&'));
  }
  const shown = await agent.follow(res);
  if (shown.status !== 200 || !shown.url.endsWith('/admin'))
    throw new Error(`admin sign-in ended at ${shown.url} (${shown.status})`);
  return { agent, secret };
}

/** Signs a person without the admin role in (through the account console) in a fresh scripted browser. */
export async function personAgent(server: TestServer, email: string, password: string): Promise<UserAgent> {
  const agent = new UserAgent(server.url);
  const login = await agent.follow(await agent.get('/account'));
  await agent.follow(await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email, password }));
  return agent;
}

/** The value of a read-only credential field on a page that shows one once. */
export const shownValue = (html: string, id: string): string =>
  new RegExp(`id="${id}" type="text" value="([^"]+)"`).exec(html)?.[1] as string;
