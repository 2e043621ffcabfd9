import type { Context } from 'koa';
import { errors, type InteractionResults, type Provider } from 'oidc-provider';
import type { ProviderHost } from '../../src/oidc/provider-host.js';
import { dynamicKindOf } from '../../src/clients/dynamic-client-policy.js';
import { currentPage } from '../page/page-context.js';
import { t } from '../page/translate.js';
import { CONSOLE_CLIENT_ID } from '../../src/clients/console-client.js';
import { clientLinksOf, type ClientLinks } from '../../src/clients/client-links.js';

export interface UnverifiedClient {
  /** Where the browser goes back to: the host of the request's redirect_uri. */
  readonly redirectHost: string;
  /** Where a metadata-document client describes itself: its client_id's host. */
  readonly documentHost?: string;
}

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Reading and finishing the interaction a sign-in screen belongs to. */
export function interactionSession(providers: ProviderHost) {
  const current = () => providers.current().provider;
  // The interaction `details` read for a request. oidc-provider's interactionResult reads it again
  // from the cookie (a context, a signed cookie, a statement) before it saves the result; the
  // request that read it saves that very one, as interactionResult does: the result (merged with
  // the last submission when asked), stored for the rest of its lifetime.
  const read = new WeakMap<Context, Interaction>();
  const saved = async (ctx: Context, result: InteractionResults, merge: boolean): Promise<string> => {
    const interaction = read.get(ctx) ?? (await current().interactionDetails(ctx.req, ctx.res));
    interaction.result = merge && !('error' in result) ? { ...interaction.lastSubmission, ...result } : result;
    await interaction.persist();
    return interaction.returnTo;
  };
  return {
    current,

    /** The interaction bound to this browser's cookie; its uid must be the one in the URL. */
    async details(ctx: Context) {
      const found = await current().interactionDetails(ctx.req, ctx.res);
      if (found.uid !== ctx.params.uid) throw new errors.SessionNotFound('interaction and cookie do not match');
      // The app's ui_locales (OIDC Core §3.1.2.1) choose this sign-in's language before anything else.
      currentPage().preferUiLocales(found.params.ui_locales);
      read.set(ctx, found);
      return found;
    },

    /** Hands the result to the provider and sends the browser back to it. */
    async finish(ctx: Context, result: InteractionResults, merge: boolean) {
      const redirectTo = await saved(ctx, result, merge);
      ctx.status = 303;
      ctx.redirect(redirectTo);
    },

    /** Stores the result without leaving the page; returns where the browser continues. */
    store(ctx: Context, result: InteractionResults): Promise<string> {
      return saved(ctx, result, false);
    },

    /** When the provider session with this id last signed in with the password (seconds), if it still exists. */
    async loginTs(sessionId: string | undefined): Promise<number | undefined> {
      const found = sessionId ? await current().Session.find(sessionId) : undefined;
      return typeof found?.loginTs === 'number' ? found.loginTs : undefined;
    },

    /**
     * For a client the operator did not register (dynamic-client-policy.ts): whose hosts the
     * consent page names, since its name is whatever it chose. Undefined for the operator's clients.
     */
    async unverified(clientId: unknown, redirectUri: unknown): Promise<UnverifiedClient | undefined> {
      const client = typeof clientId === 'string' ? await current().Client.find(clientId) : undefined;
      const kind = dynamicKindOf(client);
      if (!client || !kind) return undefined;
      const redirectHost = (typeof redirectUri === 'string' && URL.parse(redirectUri)?.host) || '';
      return {
        redirectHost,
        documentHost: kind === 'metadata_document' ? (URL.parse(client.clientId)?.host ?? undefined) : undefined,
      };
    },

    /**
     * The logo and links the operator registered for the client (client-links.ts). A client that
     * registered itself gets none shown: its logo would lend it a look nobody vouched for.
     */
    async clientLinks(clientId: unknown): Promise<ClientLinks> {
      const client = typeof clientId === 'string' ? await current().Client.find(clientId) : undefined;
      if (!client || dynamicKindOf(client)) return {};
      return clientLinksOf(client.metadata());
    },

    async clientName(clientId: unknown): Promise<string> {
      // Our own consoles' client is named for people in their language, not by its stored English name.
      if (clientId === CONSOLE_CLIENT_ID)
        return t('signIn.consoleClient', { productName: currentPage().brand.productName });
      const client = typeof clientId === 'string' ? await current().Client.find(clientId) : undefined;
      return (
        (client?.clientName as string | undefined) ??
        (typeof clientId === 'string' ? clientId : t('signIn.unknownClient'))
      );
    },
  };
}

export type InteractionSession = ReturnType<typeof interactionSession>;
