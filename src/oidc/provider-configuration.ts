import type { AdapterFactory, Configuration, FindAccount, JWKS } from 'oidc-provider';
import * as ttl from './token-lifetimes.js';
import { renderErrorPage } from '../http/render-error-page.js';
import { tokenConfiguration } from './token-configuration.js';

export interface ProviderDeps {
  readonly adapter: AdapterFactory;
  readonly findAccount: FindAccount;
  readonly jwks: JWKS;
  readonly cookieKeys: string[];
  /** Cookies carry `__Host-`/`__Secure-` names and the Secure flag when the issuer is https. */
  readonly secureCookies: boolean;
}

export function providerConfiguration(deps: ProviderDeps): Configuration {
  const base = baseConfiguration(deps);
  const tokens = tokenConfiguration();
  const features = { ...base.features, ...tokens.features } as Configuration['features'];
  return { ...base, ...tokens, features, ttl: { ...base.ttl, ...tokens.ttl } };
}

function baseConfiguration(deps: ProviderDeps): Configuration {
  const prefix = deps.secureCookies ? '__Host-' : '';
  // The interaction cookies are scoped to their interaction's path, which `__Host-` forbids.
  const pathPrefix = deps.secureCookies ? '__Secure-' : '';
  return {
    adapter: deps.adapter,
    findAccount: deps.findAccount,
    jwks: deps.jwks,
    cookies: {
      keys: deps.cookieKeys,
      names: {
        session: `${prefix}gatehouse.session`,
        interaction: `${pathPrefix}gatehouse.interaction`,
        resume: `${pathPrefix}gatehouse.resume`,
      },
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'updated_at'],
    },
    extraClientMetadata: { properties: ['first_party', 'require_mfa'] },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    // OAuth 2.1 §4.1: only the code flow; no token ever travels in the front channel.
    responseTypes: ['code'],
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    // Browsers talk to the authorization and end-session endpoints only; no cross-origin calls.
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      renderErrorPage(ctx, { error: out.error, description: out.error_description });
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
      Session: 12 * 60 * 60,
      Grant: 365 * 24 * 60 * 60,
    },
  };
}
