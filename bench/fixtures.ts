// What each scenario needs on one target: credentials, tokens, and a scripted sign-in that walks
// the same screens on Gatehouse and on the bare provider (bench/bare-provider.ts).
import { createHash, randomBytes } from 'node:crypto';
import { UserAgent } from '../test/support/user-agent.js';
import { walkAuthorization } from '../test/support/sign-in-flow.js';
import { BARE_CLIENT, BARE_USER, JWT_API, OPAQUE_API, REDIRECT_URI } from './bare-provider.js';
import { servesBareFixtures, type Target } from './targets.js';

interface Credentials {
  client_id: string;
  client_secret: string;
}

export interface Fixtures {
  readonly target: Target;
  /** Authorization header of the app that gets tokens (client_credentials, code, refresh). */
  readonly app: string;
  /** Authorization header that may introspect the API's tokens, per token format. */
  readonly introspector: { opaque: string; jwt: string };
  token(resource: string): Promise<string>;
  /**
   * A full sign-in (authorize → login → code → token); resolves to the token response. As the
   * bench's user unless `as` names another (several at once for one account are throttled: each
   * attempt counts until its password is checked).
   */
  signIn(params?: Record<string, string>, as?: { email: string; password: string }): Promise<Record<string, string>>;
}

export const basic = (c: Credentials) => `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;

export async function postForm(
  issuer: string,
  path: string,
  auth: string,
  form: Record<string, string>,
): Promise<Record<string, string>> {
  const res = await fetch(new URL(path, issuer), {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, string>) : {};
}

export async function prepareFixtures(target: Target): Promise<Fixtures> {
  let app: Credentials = BARE_CLIENT;
  let introspector = { opaque: basic(BARE_CLIENT), jwt: basic(BARE_CLIENT) };
  const user = BARE_USER;
  if (!servesBareFixtures(target.name)) {
    const jwtApi = await target.cli<Credentials>('resource', 'add', '--identifier', JWT_API, '--scope', 'read');
    const opaqueApi = await target.cli<Credentials>(
      'resource',
      'add',
      '--identifier',
      OPAQUE_API,
      '--scope',
      'read',
      '--token-format',
      'opaque',
    );
    app = await target.cli<Credentials>(
      'client',
      'add',
      '--name',
      'Bench',
      '--first-party',
      '--redirect-uri',
      REDIRECT_URI,
      '--grant-type',
      'authorization_code',
      '--grant-type',
      'refresh_token',
      '--grant-type',
      'client_credentials',
      '--resource',
      JWT_API,
      '--resource',
      OPAQUE_API,
    );
    introspector = { opaque: basic(opaqueApi), jwt: basic(jwtApi) };
    await target.cli('user', 'add', '--email', user.email, '--password', user.password);
  }
  const appAuth = basic(app);

  async function signIn(params: Record<string, string> = {}, as = user) {
    const verifier = randomBytes(32).toString('base64url');
    const auth = new URL('/auth', target.issuer);
    auth.search = new URLSearchParams({
      client_id: app.client_id,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...params,
    }).toString();
    const { callback, page } = await walkAuthorization(new UserAgent(target.issuer), auth, {
      ...as,
      consent: 'allow',
    });
    const code = callback?.searchParams.get('code');
    if (!code)
      throw new Error(`${target.name}: sign-in stopped at ${page?.status} ${(await page?.text())?.slice(0, 200)}`);
    return postForm(target.issuer, '/token', appAuth, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
  }

  return {
    target,
    app: appAuth,
    introspector,
    token: async (resource) =>
      (await postForm(target.issuer, '/token', appAuth, { grant_type: 'client_credentials', resource, scope: 'read' }))
        .access_token as string,
    signIn,
  };
}
