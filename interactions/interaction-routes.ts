import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { ProviderHost } from '../src/oidc/provider-host.js';
import { errors } from 'oidc-provider';
import { createRenderErrorPage } from '../src/http/render-error-page.js';
import { errorPage } from './views/error-page.js';
import type { SignInService } from '../src/accounts/sign-in-service.js';
import type { AccountService } from '../src/accounts/account-service.js';
import type { DeviceCookies } from '../src/throttle/device-cookies.js';
import { deviceCookie } from './device-cookie.js';
import { formGuard } from './form-guard.js';
import { interactionSession } from './sign-in/interaction-session.js';
import { secondStepRoutes, type SecondStepDeps } from './sign-in/second-step-routes.js';
import { passwordStepRoutes } from './sign-in/password-step-routes.js';
import { passkeyOptionsRoute } from './sign-in/passkey-options-route.js';
import { consentPage } from './views/consent-page.js';
import { describeConsent, type MissingConsent } from './describe-scopes.js';
import { deviceConsentOf } from './device-consent.js';
import { scopeWordsFor } from './scope-words.js';
import type { ResourceService } from '../src/resources/resource-service.js';
import type { PersonDirectory } from '../src/directory/person-directory.js';
import { upstreamRoutes } from './sign-in/upstream-routes.js';
import type { UpstreamSignIn } from '../src/connections/upstream-sign-in.js';
import type { ConnectionService } from '../src/connections/connection-service.js';
import { currentPage } from './page/page-context.js';
import { t } from './page/translate.js';
import { allowPageImage } from '../src/http/page-images.js';

export interface InteractionDeps extends Omit<SecondStepDeps, 'session' | 'form' | 'guard'> {
  readonly providers: ProviderHost;
  readonly issuer: string;
  readonly signIn: SignInService;
  readonly accounts: AccountService;
  readonly deviceCookies: DeviceCookies;
  /** The server sends mail, so the sign-in page offers "Forgot your password?". */
  readonly mailEnabled: boolean;
  /** Self-registration is on, so the sign-in page offers "Create account". */
  readonly registrationEnabled: boolean;
  /** The operator's custom scopes, whose descriptions consent shows. */
  readonly personDirectory: Pick<PersonDirectory, 'claimScopes'>;
  /** The APIs an app asks for, whose names and scope descriptions consent shows. */
  readonly resources: Pick<ResourceService, 'find'>;
  /** Sign-in with other identity providers (src/connections). */
  readonly upstreamSignIn: UpstreamSignIn;
  readonly connections: Pick<ConnectionService, 'list' | 'forEmail'>;
}

const renderErrorPage = createRenderErrorPage(errorPage);

/** Sign-in and consent screens under /interaction/:uid (OIDC Core §3.1.2.4). */
export function interactionRoutes(deps: InteractionDeps): Router {
  const { providers, issuer, signIn, accounts, deviceCookies } = deps;
  const interaction = interactionSession(providers);
  const { current, details, finish } = interaction;
  const router = new Router({ prefix: '/interaction' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const guard = formGuard(new URL(issuer).origin);
  // Late-bound: the upstream step shows the password step's page again after a refusal.
  const upstream = upstreamRoutes({
    issuer,
    session: interaction,
    upstreamSignIn: deps.upstreamSignIn,
    connections: deps.connections,
    signIn,
    rememberedDevices: deps.rememberedDevices,
    form,
    guard,
    showLogin: async (ctx, uid, params, error) =>
      password.show(ctx, { uid, params }, await interaction.clientName(params.client_id), error),
  });
  const password = passwordStepRoutes({
    session: interaction,
    signIn,
    accounts,
    passkeys: deps.passkeys,
    device: deviceCookie(issuer, deviceCookies),
    rememberedDevices: deps.rememberedDevices,
    form,
    guard,
    mailEnabled: deps.mailEnabled,
    registrationEnabled: deps.registrationEnabled,
    connectionButtons: upstream.buttons,
    homeRealm: upstream.homeRealm,
  });
  const second = secondStepRoutes({
    ...deps,
    session: interaction,
    form,
    guard,
    afterSecondStep: upstream.afterSecondStep,
  });
  const passkeyOptions = passkeyOptionsRoute({ session: interaction, passkeys: deps.passkeys, guard });

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await next();
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      ctx.status = 400;
      // The page's words are error-advice.ts's for session_not_found: what happened, and once what to do.
      renderErrorPage(ctx, { error: 'session_not_found' });
    }
  });

  // Before /:uid's routes: the fixed redirect URI /interaction/upstream/callback.
  upstream.register(router);

  router.get('/:uid', async (ctx) => {
    const interactionOf = await details(ctx);
    const { uid, prompt, params, session, lastSubmission } = interactionOf;
    const clientName = await interaction.clientName(params.client_id);
    if (prompt.name === 'login') {
      await password.show(ctx, { uid, params }, clientName);
      return;
    }
    if (prompt.name === 'consent' && session?.accountId) {
      const account = await accounts.findById(session.accountId);
      const missing = prompt.details as MissingConsent;
      // A device's request (RFC 8628) says so, and lists all it asks for (device-consent.ts).
      const device = await deviceConsentOf(
        interactionOf,
        (id) => current().DeviceCode.find(id, { ignoreExpiration: true }),
        missing,
      );
      const { logo_uri: logo, ...links } = await interaction.clientLinks(params.client_id);
      const shownLogo = logo ? allowPageImage(ctx, logo) : undefined;
      const asked = device?.asked ?? missing;
      ctx.body = consentPage({
        uid,
        clientName,
        accountEmail: account?.email ?? '',
        permissions: describeConsent(
          asked,
          await scopeWordsFor(deps, account ?? undefined, Object.keys(asked.missingResourceScopes ?? {})),
        ),
        device: device?.device,
        unverified: await interaction.unverified(params.client_id, params.redirect_uri),
        redirectHost: (typeof params.redirect_uri === 'string' && URL.parse(params.redirect_uri)?.host) || undefined,
        app: { ...links, ...(shownLogo ? { logo_uri: shownLogo } : {}) },
      });
      return;
    }
    if (prompt.name === 'mfa') {
      await second.show(ctx, { uid, prompt, params, session, lastSubmission });
      return;
    }
    ctx.status = 400;
    renderErrorPage(ctx, {
      error: 'invalid_request',
      description: t('error.unknownStep', { productName: currentPage().brand.productName, step: prompt.name }),
    });
  });

  password.register(router);
  second.register(router);
  passkeyOptions.register(router);

  router.post('/:uid/confirm', guard, form, async (ctx) => {
    const { prompt, params, session, grantId } = await details(ctx);
    const accountId = session?.accountId;
    if (prompt.name !== 'consent' || !accountId) return ctx.throw(400, t('error.notWaiting.consent'));
    const provider = current();
    const grant =
      (grantId ? await provider.Grant.find(grantId) : undefined) ??
      new provider.Grant({ accountId, clientId: String(params.client_id) });
    const missing = prompt.details as MissingConsent;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(' '));
    await finish(ctx, { consent: { grantId: await grant.save() } }, true);
  });

  router.post('/:uid/abort', guard, async (ctx) => {
    await details(ctx);
    await finish(ctx, { error: 'access_denied', error_description: 'The user denied the request.' }, false);
  });

  return router;
}
