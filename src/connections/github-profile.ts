import * as client from 'openid-client';
import { GITHUB_COM } from './connection-service.js';
import { UpstreamError, type UpstreamProfile } from './upstream-profile.js';

interface GithubUser {
  readonly id?: unknown;
  readonly name?: unknown;
}
interface GithubEmail {
  readonly email?: unknown;
  readonly primary?: unknown;
  readonly verified?: unknown;
}

/** github.com's API lives on its own host; GitHub Enterprise Server's under /api/v3 (GitHub's REST docs). */
export const githubApiBase = (issuer: string) =>
  issuer.replace(/\/$/, '') === GITHUB_COM ? 'https://api.github.com' : `${issuer.replace(/\/$/, '')}/api/v3`;

/**
 * GitHub is OAuth 2 without ID tokens: the person is `GET /user`'s numeric `id` (stable; the login
 * can be renamed and then taken by someone else), and the address is the primary one among
 * `GET /user/emails` that GitHub marks verified (the profile's public email is not checked by anyone).
 */
export async function githubProfile(
  config: client.Configuration,
  accessToken: string,
  issuer: string,
): Promise<UpstreamProfile> {
  const api = githubApiBase(issuer);
  const get = async <T>(path: string): Promise<T> => {
    const response = await client.fetchProtectedResource(
      config,
      accessToken,
      new URL(`${api}${path}`),
      'GET',
      undefined,
      new Headers({ accept: 'application/vnd.github+json' }),
    );
    if (!response.ok) throw new UpstreamError('invalid_response', `GitHub answered ${response.status} to ${path}`);
    return (await response.json()) as T;
  };
  const user = await get<GithubUser>('/user');
  if (typeof user.id !== 'number' && typeof user.id !== 'string')
    throw new UpstreamError('invalid_response', 'GitHub gave no user id');
  const emails = await get<GithubEmail[]>('/user/emails');
  const primary = Array.isArray(emails)
    ? emails.find((e) => e.primary === true && e.verified === true && typeof e.email === 'string')
    : undefined;
  return {
    issuer: issuer.replace(/\/$/, ''),
    subject: String(user.id),
    verifiedEmail: primary?.email as string | undefined,
    name: typeof user.name === 'string' ? user.name : undefined,
    amr: [],
  };
}
