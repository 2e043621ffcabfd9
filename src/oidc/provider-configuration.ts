import { SUPPORTED_LOCALES } from '../kernel/supported-locales.js';
import {
  errors,
  interactionPolicy,
  type AdapterFactory,
  type Configuration,
  type FindAccount,
  type JWKS,
} from 'oidc-provider';
import { RESOURCE_GRANTS, resourceGrantsProblem } from '../clients/resource-grants.js';
import * as ttl from '../kernel/token-lifetimes.js';
import { createRenderErrorPage } from '../http/render-error-page.js';
import type { Screens } from '../http/screens.js';
import { tokenConfiguration, type TokenDeps } from './token-configuration.js';
import { createLoadExistingGrant, type FindGrantId } from './load-existing-grant.js';
import { sessionTtl, type SessionTimeouts } from './session-ttl.js';
import { createOutboundFetch } from './outbound-fetch.js';
import { adminConsoleRedirectUri, CONSOLE_CLIENT_ID, consoleRedirectUri } from '../clients/console-client.js';
import { mfaPrompt, type MfaPromptDeps } from '../second-step/mfa-prompt.js';
import { SUPPORTED_ACRS } from '../mfa/authentication-context.js';
import { mfaPolicyProblem } from '../mfa/mfa-mode.js';
import { clientAssertionPolicy } from './client-assertion-policy.js';
import type { Clock } from '../kernel/clock.js';
import { PKCE_REQUIRED, clientPkceMode, pkceRefusal, pkceRequiredProblem } from '../clients/client-pkce.js';
import { ALLOWED_ORIGINS, allowedOriginsProblem, corsAllowed } from '../clients/web-origins.js';
import type { ClaimScopeDefinition } from '../directory/person-directory.js';
import { claimsConfiguration } from './claim-scopes.js';
import { SESSION_COOKIE } from './save-unsaved-session.js';
import { deviceConsentCheck, deviceFlowFeature, type DeviceFlowDeps } from './device-flow.js';
import { DYNAMIC_CLIENT } from '../clients/dynamic-client-policy.js';
import { applyDynamicClientPolicy, dynamicClientFeatures, type DynamicClientDeps } from './dynamic-clients.js';

export interface ProviderDeps extends TokenDeps, Omit<DeviceFlowDeps, 'sessionTtl'>, DynamicClientDeps {
  readonly adapter: AdapterFactory;
  readonly findAccount: FindAccount;
  readonly jwks: JWKS;
  readonly cookieKeys: string[];
  /** Cookies carry `__Host-`/`__Secure-` names and the Secure flag when the issuer is https. */
  readonly secureCookies: boolean;
  readonly issuer: string;
  /** PRODUCT_NAME: the consoles' own client is named after it on the sign-in page. */
  readonly productName?: string;
  readonly outboundAllowPrivateNetworks: boolean;
  readonly session: SessionTimeouts;
  readonly findGrantId: FindGrantId;
  readonly clientAssertionMaxLifetimeSeconds: number;
  readonly clock: Clock;
  /** Logout and error pages, lent by the UI layer. */
  readonly screens: Screens;
  /** Decides the second step (src/second-step/second-step-gate.ts). */
  readonly secondStep: MfaPromptDeps;
  /** The custom scopes (`gatehouse scope add`) as stored when this provider was built. */
  readonly claimScopes: readonly ClaimScopeDefinition[];
}

/** Client metadata of ours: only the operator sets these (a self-registered client naming one is refused). */
const EXTRA_METADATA = [
  DYNAMIC_CLIENT,
  'first_party',
  'require_mfa',
  'mfa_policy',
  RESOURCE_GRANTS,
  ALLOWED_ORIGINS,
  PKCE_REQUIRED,
];

/** Why an extra client metadata value is malformed, if it is. */
function metadataProblem(key: string, value: unknown, metadata: object): string | undefined {
  if (key === PKCE_REQUIRED) return pkceRequiredProblem(value, metadata);
  if (key === RESOURCE_GRANTS) return resourceGrantsProblem(value);
  if (key === 'mfa_policy') return mfaPolicyProblem(value);
  if (key === ALLOWED_ORIGINS) return allowedOriginsProblem(value);
  return undefined;
}

/**
 * login, then the second step, then consent. The login prompt's own ACR checks go: they would ask
 * for the password again, which cannot raise the ACR; the `mfa` prompt answers ACR demands.
 */
function signInPolicy(secondStep: MfaPromptDeps) {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  login?.checks.remove('essential_acrs');
  login?.checks.remove('essential_acr');
  policy.add(mfaPrompt(secondStep), 1);
  policy.get('consent')?.checks.add(deviceConsentCheck());
  return policy;
}

export function providerConfiguration(deps: ProviderDeps): Configuration {
  const base = baseConfiguration(deps);
  const tokens = tokenConfiguration(deps);
  const features = { ...base.features, ...tokens.features } as Configuration['features'];
  return { ...base, ...tokens, features, ttl: { ...base.ttl, ...tokens.ttl } };
}

function baseConfiguration(deps: ProviderDeps): Configuration {
  const renderErrorPage = createRenderErrorPage(deps.screens.errorPage);
  const ttlOfSession = sessionTtl(deps.session, deps.clock);
  const prefix = deps.secureCookies ? '__Host-' : '';
  // The interaction cookies are scoped to their interaction's path, which `__Host-` forbids.
  const pathPrefix = deps.secureCookies ? '__Secure-' : '';
  return {
    adapter: deps.adapter,
    findAccount: deps.findAccount,
    jwks: deps.jwks,
    fetch: createOutboundFetch(deps.outboundAllowPrivateNetworks) as Configuration['fetch'],
    assertJwtClientAuthClaimsAndHeader: clientAssertionPolicy(deps.clientAssertionMaxLifetimeSeconds, deps.clock),
    // The account console (/account) and the admin console (/admin) sign people in through the same screens as any app.
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        client_name: `${deps.productName ?? 'Gatehouse'} account`,
        redirect_uris: [consoleRedirectUri(deps.issuer), adminConsoleRedirectUri(deps.issuer)],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        first_party: true,
      },
    ],
    cookies: {
      keys: deps.cookieKeys,
      names: {
        session: `${prefix}gatehouse.session`,
        interaction: `${pathPrefix}gatehouse.interaction`,
        resume: `${pathPrefix}gatehouse.resume`,
      },
      long: SESSION_COOKIE,
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    // Scope → claims: OIDC Core §5.4's, roles and groups, and the custom scopes (claim-scopes.ts).
    claims: claimsConfiguration(deps.claimScopes),
    // ID tokens carry the claims of the granted scopes, not only userinfo (OIDC Core §5.4 allows both).
    conformIdTokenClaims: false,
    extraClientMetadata: {
      properties: EXTRA_METADATA,
      // Synchronous, as the provider requires; runs for every client it builds (client-service.ts too).
      validator(ctx, key, value, metadata) {
        // Clients the operator did not register: their own rules, once per client (dynamic-clients.ts).
        if (key === DYNAMIC_CLIENT) return applyDynamicClientPolicy(ctx, metadata, EXTRA_METADATA);
        const problem = metadataProblem(key, value, metadata);
        if (problem) throw new errors.InvalidClientMetadata(problem);
      },
    },
    // OIDC Discovery §3: the ACRs tokens carry, password only and with a second factor.
    acrValues: [...SUPPORTED_ACRS],
    // The provider leaves out what is false; RFC 9126 §5 defaults it to false, but an integrator
    // reading the document (or mod_auth_openidc's checks) sees it said outright: PAR is offered, not required.
    // OIDC Discovery §3: the languages the pages speak (ui_locales picks among them, src/i18n).
    // claims_locales is accepted (the provider keeps it with the request) but no claim has
    // translations, so claims_locales_supported is not listed.
    discovery: { require_pushed_authorization_requests: false, ui_locales_supported: [...SUPPORTED_LOCALES] },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    // The code flow for every client by default (OAuth 2.1 §4.1). `id_token` alone (OIDC Core §3.2,
    // with form_post) only for clients registered with --response-type id_token, as express-openid-connect
    // and ASP.NET Core use by default: it carries no access token, and the provider requires a nonce.
    responseTypes: ['code', 'id_token'],
    // Called only when a code request comes without code_challenge. The provider's own refusal does
    // not say what to change, so ours does, naming the setting (client-pkce.ts).
    pkce: {
      required: (_ctx, client) => {
        if (clientPkceMode(client) === 'optional') return false;
        throw new errors.InvalidRequest(pkceRefusal(client.clientId));
      },
    },
    // OIDC Core §3.1.2.1: redirect_uri is REQUIRED, even of a client with a single registered one (the
    // provider would default to it, also at the token endpoint). A request without it gets invalid_request
    // on a page: with no redirect_uri there is nowhere to send the error.
    allowOmittingSingleRegisteredRedirectUri: false,
    interactions: {
      policy: signInPolicy(deps.secondStep),
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    loadExistingGrant: createLoadExistingGrant(deps.findGrantId),
    features: {
      // RFC 7591/7592 registration and client ID metadata documents, per CLIENT_REGISTRATION and
      // CLIENT_ID_METADATA_DOCUMENTS (dynamic-clients.ts).
      ...dynamicClientFeatures(deps),
      devInteractions: { enabled: false },
      // OIDC Core §5.5: the `claims` parameter, through which an app demands an ACR (an essential
      // `acr` claim, §5.5.1.1) rather than stating a preference with `acr_values` (second-step-gate.ts).
      claimsParameter: { enabled: true },
      // OIDC Back-Channel Logout 1.0: clients with a backchannel_logout_uri hear when a session ends.
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      // RFC 8628, the device authorization grant, with our pages (device-flow.ts).
      ...deviceFlowFeature({ ...deps, sessionTtl: ttlOfSession }),
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = deps.screens.logoutConfirmPage(form, ctx.oidc.client?.clientName);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = deps.screens.logoutSuccessPage(ctx.oidc.client?.clientName);
        },
      },
    },
    // Single-page apps (public clients) call the token, userinfo and revocation endpoints from their
    // own web origins; nobody else may, and confidential clients never from a browser (web-origins.ts).
    clientBasedCORS: (_ctx, origin, client) => corsAllowed(origin, client),
    renderError: (ctx, out) => {
      renderErrorPage(ctx, { error: out.error, description: out.error_description, forDeveloper: true });
    },
    ttl: {
      AccessToken: ttl.ACCESS_TOKEN_TTL,
      AuthorizationCode: ttl.AUTHORIZATION_CODE_TTL,
      ClientCredentials: ttl.ACCESS_TOKEN_TTL,
      IdToken: ttl.ID_TOKEN_TTL,
      Interaction: ttl.INTERACTION_TTL,
      DeviceCode: 10 * 60,
      BackchannelAuthenticationRequest: 10 * 60,
      PreAuthorizedCode: 10 * 60,
      RefreshToken: 14 * 24 * 60 * 60,
      Session: ttlOfSession as unknown as number,
      Grant: 365 * 24 * 60 * 60,
    },
  };
}
