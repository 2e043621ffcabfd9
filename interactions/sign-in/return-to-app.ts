import type { Context } from 'koa';
import { z } from 'zod';
import type { ProviderHost } from '../../src/oidc/provider-host.js';

/** Where a finished reset or registration sends the person: back into the app's sign-in, or what to do instead. */
export type ReturnToApp =
  | { readonly live: true; readonly href: string; readonly clientName: string }
  | { readonly live: false; readonly clientName?: string; readonly startUri?: string };

/**
 * Long enough for a registration link (24 hours) opened from the mail: the sign-in itself lasts an
 * hour (INTERACTION_TTL), and past it the cookie still says which app to send the person back to.
 */
const MAX_AGE_SECONDS = 24 * 60 * 60;

const remembered = z.object({ uid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), clientId: z.string().min(1).max(2048) });

const https = (value: unknown) =>
  typeof value === 'string' && URL.parse(value)?.protocol === 'https:' ? value : undefined;

/**
 * The app's sign-in a person left for "Forgot your password?" or "Create account", remembered in
 * this browser (the interaction can only resume in the browser holding its own cookie, so a cookie
 * is the right carrier, and the mailed link stays free of it). The uid is no secret: the provider
 * checks its own interaction cookie when /interaction/<uid> is opened. HttpOnly, SameSite=Lax (the
 * mailed link is a top-level GET from elsewhere), Secure with a `__Secure-` name on https.
 */
export function returnToApp({ providers, issuer }: { providers: ProviderHost; issuer: string }) {
  const secure = issuer.startsWith('https:');
  const name = `${secure ? '__Secure-' : ''}gatehouse.return-to`;
  const current = () => providers.current().provider;

  return {
    /**
     * Remembers the sign-in `uid` belongs to, when it is a live one; gives back the app's
     * `ui_locales` from it (OIDC Core §3.1.2.1), so the pages on the way speak what the app asked for.
     */
    async remember(ctx: Context, uid: string | undefined): Promise<unknown> {
      if (!uid) return undefined;
      const interaction = await current().Interaction.find(uid);
      const clientId = interaction?.params.client_id;
      if (typeof clientId !== 'string') return undefined;
      const value = Buffer.from(JSON.stringify({ uid, clientId })).toString('base64url');
      ctx.append(
        'Set-Cookie',
        `${name}=${value}; Path=/; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
      );
      return interaction?.params.ui_locales;
    },

    /** The app's `ui_locales` of the sign-in `uid` (a form's hidden field), when it is still live. */
    async uiLocalesOf(uid: string | undefined): Promise<unknown> {
      return uid ? (await current().Interaction.find(uid))?.params.ui_locales : undefined;
    },

    /**
     * Where to go now: the sign-in while it lasts; once it has expired, the app's own start
     * (initiate_login_uri, OIDC Core §4, or else client_uri, OIDC Registration §2) when known.
     * Undefined when this browser came from no app.
     */
    async find(ctx: Context): Promise<ReturnToApp | undefined> {
      const raw = ctx.cookies.get(name);
      if (!raw) return undefined;
      let parsed;
      try {
        parsed = remembered.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
      } catch {
        return undefined;
      }
      if (!parsed.success) return undefined;
      const { uid, clientId } = parsed.data;
      const provider = current();
      const client = await provider.Client.find(clientId);
      if (!client) return undefined;
      const clientName = (client.clientName as string | undefined) ?? clientId;
      const interaction = await provider.Interaction.find(uid);
      if (interaction && interaction.params.client_id === clientId)
        return { live: true, href: `/interaction/${uid}`, clientName };
      const metadata = client.metadata() as Record<string, unknown>;
      return { live: false, clientName, startUri: https(metadata.initiate_login_uri) ?? https(metadata.client_uri) };
    },
  };
}

export type ReturnToAppCookie = ReturnType<typeof returnToApp>;
