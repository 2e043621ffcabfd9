import type { UserAgent } from './user-agent.js';
import type { relyingParty } from './relying-party.js';

type RelyingParty = Pick<Awaited<ReturnType<typeof relyingParty>>, 'authorizationRequest'>;

/**
 * Opens the sign-in page of a new authorization request of `rp` (with `params` added) in `agent`,
 * following the redirects to it: the page's HTML, its status and the interaction's uid.
 */
export async function openSignIn(agent: UserAgent, rp: RelyingParty, params: Record<string, string> = {}) {
  const request = await rp.authorizationRequest(params);
  const page = await agent.follow(await agent.get(request.url));
  const text = await page.text();
  return { uid: /action="\/interaction\/([^/"]+)\//.exec(text)?.[1] as string, text, status: page.status };
}
