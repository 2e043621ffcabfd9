import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse } from '../../support/run-gatehouse.js';
import { UserAgent } from '../../support/user-agent.js';
import { BrowserIn } from '../../support/browser-in.js';
import { htmlTag } from '../../support/html-tag.js';
import { relyingParty } from '../../support/relying-party.js';
import { errorPage } from '../../../interactions/views/error-page.js';
import { ADVISED_ERROR_CODES, errorAdvice } from '../../../interactions/views/error-advice.js';

const REDIRECT = 'https://notes.example/cb';
const PASSWORD = 'a long and quiet river';

/** The page's text as a person reads it: tags dropped, entities decoded, spaces folded. */
const visible = (page: string) =>
  page
    .replace(/<title>[^<]*<\/title>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ');

describe('an error page', () => {
  it.each(ADVISED_ERROR_CODES)(
    'for %s says in plain words what happened and what to do, with the code for support',
    (code) => {
      const advice = errorAdvice(code, 'Gatehouse');
      const text = visible(errorPage({ error: code, description: 'raw text from the library' }));
      expect(advice).toBeDefined();
      expect(text).toContain(advice?.heading);
      expect(text).toContain(advice?.happened);
      expect(text).toContain(advice?.todo);
      expect(text).toContain(`Error code: ${code}`);
      // The library's own words are at most a detail under them, and never for a fault on our side.
      if (code === 'server_error') expect(text).not.toContain('raw text from the library');
      else expect(text).toContain('Details: raw text from the library');
    },
  );

  it('for a code it has no words for still says what to do, and shows the description only as a detail', () => {
    const text = visible(errorPage({ error: 'some_new_error', description: 'what the library said' }));
    expect(text).toContain('Something went wrong');
    expect(text).toContain('The request could not be completed.');
    expect(text).toContain('Return to the app you came from and start again.');
    expect(text).toContain('Details: what the library said');
  });

  it('says "return to the app" once on the expired sign-in page, not "go back" twice', () => {
    const text = visible(errorPage({ error: 'session_not_found' }));
    expect(text.match(/return to the app/gi)).toHaveLength(1);
    expect(text).not.toMatch(/go back/i);
  });
});

describe('the error pages a browser meets', () => {
  let server: TestServer;
  let rp: Awaited<ReturnType<typeof relyingParty>>;

  beforeAll(async () => {
    server = await startTestServer();
    const env = { DATABASE_URL: server.database.url };
    await gatehouse(env, 'user', 'add', '--email', 'ada@example.com', '--password', PASSWORD);
    const client = (
      await gatehouse(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT, '--json')
    ).json<{
      client_id: string;
      client_secret: string;
    }>();
    rp = await relyingParty(server.config.issuer, client, REDIRECT);
  });
  afterAll(async () => {
    await server.close();
  });

  it('an app that is not registered: says so, and to contact the app owner, not "client is invalid" alone', async () => {
    const { url } = await rp.authorizationRequest({ client_id: 'no-such-app' });
    const res = await new UserAgent(server.url).get(url);
    expect(res.status).toBe(400);
    const text = visible(await res.text());
    expect(text).toContain('This app is not registered here');
    expect(text).toContain('The app that sent you here is not registered with Gatehouse');
    expect(text).toContain("Contact the app's owner");
    expect(text).toContain('Error code: invalid_client');
  });

  it('a return address the app never registered: says it is not one of the app’s addresses', async () => {
    const { url } = await rp.authorizationRequest({ redirect_uri: 'https://elsewhere.example/cb' });
    const res = await new UserAgent(server.url).get(url);
    expect(res.status).toBe(400);
    const text = visible(await res.text());
    expect(text).toContain('This app asked to send you somewhere it has not registered');
    expect(text).toContain("Contact the app's owner");
  });

  it('a request missing what it needs: says it was not valid, and to start again from the app', async () => {
    // Without client_id there is no app to send the error back to: the browser is shown it.
    const { url } = await rp.authorizationRequest();
    url.searchParams.delete('client_id');
    const res = await new UserAgent(server.url).get(url);
    expect(res.status).toBe(400);
    const text = visible(await res.text());
    expect(text).toContain('This request cannot be completed');
    expect(text).toContain('Return to the app you came from and start again.');
    expect(text).toContain("For the app's developer: missing required parameter 'client_id'");
  });

  it('an app that is not registered, in German: German advice, the provider’s description labelled for the developer and marked English', async () => {
    const { url } = await rp.authorizationRequest({ client_id: 'no-such-app' });
    const res = await new BrowserIn(server.url, 'de').get(url);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(htmlTag(page)).toBe('<html lang="de" dir="ltr">');
    expect(page).toContain('<h1>Diese App ist hier nicht registriert</h1>');
    expect(page).toMatch(/<p class="muted">Für die Entwickler der App: <span lang="en">[^<]*client[^<]*<\/span><\/p>/);
  });

  it('a sign-in opened in another browser: says it expired and, once, to return to the app', async () => {
    const agent = new UserAgent(server.url);
    const page = await agent.follow(await agent.get((await rp.authorizationRequest()).url));
    const uid = /action="\/interaction\/([^/]+)\/login"/.exec(await page.text())?.[1] as string;
    const res = await new UserAgent(server.url).get(`/interaction/${uid}`);
    expect(res.status).toBe(400);
    const text = visible(await res.text());
    expect(text).toContain('This sign-in has expired');
    expect(text.match(/return to the app/gi)).toHaveLength(1);
  });

  it('an address with nothing at it: page not found, with the way to the account', async () => {
    const res = await new UserAgent(server.url).get('/nothing-here');
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(visible(body)).toContain('Page not found');
    expect(body).toContain('href="/account"');
  });
});
