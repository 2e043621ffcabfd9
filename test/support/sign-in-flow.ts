import { UserAgent } from './user-agent.js';

/** The uid in a /interaction/<uid> location. */
export const interactionUid = (location: string | null) => /\/interaction\/([^/?#]+)/.exec(location ?? '')?.[1] ?? '';

export interface FlowResult {
  /** Where the browser was finally sent outside Gatehouse (the client's redirect_uri), if anywhere. */
  readonly callback?: URL;
  /** The last Gatehouse page shown, when the flow stopped at one. */
  readonly page?: Response;
}

/**
 * Starts an authorization request in `agent` and walks through the screens: signs in with the
 * credentials when asked and answers consent with `consent`. Stops at the redirect back to the
 * client or at any page it was not told how to answer.
 */
export async function walkAuthorization(
  agent: UserAgent,
  authorizationUrl: URL | string,
  opts: { email?: string; password?: string; consent?: 'allow' | 'deny' } = {},
): Promise<FlowResult> {
  let res = await agent.follow(await agent.get(authorizationUrl));
  for (let step = 0; step < 6; step += 1) {
    if ([302, 303].includes(res.status)) return { callback: new URL(res.headers.get('location') as string) };
    const page = await res.clone().text();
    const uid = /action="\/interaction\/([^/]+)\//.exec(page)?.[1];
    if (uid && page.includes('name="password"') && opts.email && opts.password) {
      res = await agent.follow(
        await agent.post(`/interaction/${uid}/login`, { email: opts.email, password: opts.password }),
      );
      opts = { ...opts, email: undefined, password: undefined };
    } else if (uid && page.includes('>Allow<') && opts.consent) {
      res = await agent.follow(
        await agent.post(`/interaction/${uid}/${opts.consent === 'allow' ? 'confirm' : 'abort'}`, {}),
      );
      opts = { ...opts, consent: undefined };
    } else {
      return { page: res };
    }
  }
  return { page: res };
}
