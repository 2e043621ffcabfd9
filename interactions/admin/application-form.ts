import { MFA_MODES, type MfaMode } from '../../src/mfa/mfa-mode.js';
import { PKCE_MODES, type PkceMode } from '../../src/clients/client-pkce.js';
import { assertClientUrisAllowed } from '../../src/clients/redirect-uri-policy.js';
import {
  APPLICATION_TYPES,
  AUTH_METHODS,
  type ApplicationType,
  type AuthMethod,
  type ClientChanges,
  type ClientSummary,
  type NewClient,
} from '../../src/clients/client-service.js';
import { CLIENT_LINK_FIELDS, type ClientLinkField } from '../../src/clients/client-links.js';
import { choiceOf, linesOf, textOf, valuesOf, type FieldErrors, type PostedForm } from './form-fields.js';

/** The grant types the console offers (the provider's: code, refresh, and a service's own tokens). */
export const CONSOLE_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

/** What the application form shows: what was typed (or stored), as text, so a refused form comes back as it was. */
export interface ApplicationFormValues {
  readonly name: string;
  readonly redirectUris: string;
  readonly postLogoutRedirectUris: string;
  readonly applicationType: string;
  readonly authMethod: string;
  readonly jwksUri: string;
  readonly grantTypes: readonly string[];
  readonly firstParty: boolean;
  readonly pkce: string;
  readonly mfa: string;
  readonly allowedOrigins: string;
  readonly backchannelLogoutUri: string;
  /** APIs granted at creation, each with all of its scopes (later: the application's API grants). */
  readonly resources: readonly string[];
  /** What the consent page shows of it (src/clients/client-links.ts), by metadata name; "" is none. */
  readonly links: Readonly<Record<ClientLinkField, string>>;
}

const NO_LINKS = { logo_uri: '', policy_uri: '', tos_uri: '', client_uri: '' } as const;

/** A new application's form: a web app with a secret, the code flow, PKCE required, MFA as the server says. */
export const NEW_APPLICATION: ApplicationFormValues = {
  name: '',
  redirectUris: '',
  postLogoutRedirectUris: '',
  applicationType: 'web',
  authMethod: 'client_secret_basic',
  jwksUri: '',
  grantTypes: ['authorization_code'],
  firstParty: false,
  pkce: 'required',
  mfa: 'default',
  allowedOrigins: '',
  backchannelLogoutUri: '',
  resources: [],
  links: NO_LINKS,
};

/** A stored application as its edit form shows it. */
export function formValuesOf(client: ClientSummary): ApplicationFormValues {
  return {
    name: client.client_name,
    redirectUris: client.redirect_uris.join('\n'),
    postLogoutRedirectUris: client.post_logout_redirect_uris.join('\n'),
    applicationType: client.application_type,
    authMethod: client.token_endpoint_auth_method,
    jwksUri: '',
    grantTypes: client.grant_types.filter((g) => g !== 'implicit'),
    firstParty: client.first_party,
    pkce: client.pkce,
    mfa: client.mfa_policy,
    allowedOrigins: client.web_origins.join('\n'),
    backchannelLogoutUri: client.backchannel_logout_uri ?? '',
    resources: Object.keys(client.resources),
    links: Object.fromEntries(CLIENT_LINK_FIELDS.map((f) => [f, client[f] ?? ''])) as Record<ClientLinkField, string>,
  };
}

export type ParsedForm<T> =
  | { readonly ok: true; readonly value: T; readonly typed: ApplicationFormValues }
  | { readonly ok: false; readonly errors: FieldErrors; readonly typed: ApplicationFormValues };

const MFA_CHOICES = ['default', ...MFA_MODES] as const;

function isAbsoluteUrl(uri: string): boolean {
  return URL.canParse(uri) && !uri.includes('#');
}

/** Reads and checks every field the create and edit forms share; errors by field. */
function readShared(form: PostedForm, errors: FieldErrors, current: ApplicationFormValues): ApplicationFormValues {
  const text = (name: string, fallback: string) => {
    const value = textOf(form, name);
    if (value === undefined) errors[name] = 'This field takes one value of at most 2000 characters.';
    return value ?? fallback;
  };
  const grantTypes = valuesOf(form, 'grant_types');
  const resources = valuesOf(form, 'resources');
  const typed: ApplicationFormValues = {
    ...current,
    name: text('name', current.name),
    redirectUris: text('redirect_uris', ''),
    postLogoutRedirectUris: text('post_logout_redirect_uris', ''),
    grantTypes: grantTypes ?? [],
    firstParty: form.first_party === 'on',
    pkce: text('pkce', 'required'),
    mfa: text('mfa', 'default'),
    allowedOrigins: text('allowed_origins', ''),
    backchannelLogoutUri: text('backchannel_logout_uri', ''),
    resources: resources ?? [],
    links: Object.fromEntries(CLIENT_LINK_FIELDS.map((f) => [f, text(f, '')])) as Record<ClientLinkField, string>,
  };
  // The service's https-only rule (client-links.ts), said next to the field it concerns.
  for (const field of CLIENT_LINK_FIELDS) {
    const value = typed.links[field];
    if (value && URL.parse(value)?.protocol !== 'https:') errors[field] ??= 'Give an https URL, or leave it empty.';
  }
  if (!typed.name) errors.name ??= 'Give the application a name people will recognise on the consent screen.';
  else if (typed.name.length > 200) errors.name ??= 'At most 200 characters.';
  if (!grantTypes || grantTypes.some((g) => !(CONSOLE_GRANT_TYPES as readonly string[]).includes(g)))
    errors.grant_types = `Choose among ${CONSOLE_GRANT_TYPES.join(', ')}.`;
  else if (grantTypes.length === 0) errors.grant_types = 'Choose at least one grant type.';
  if (!choiceOf(typed.pkce, PKCE_MODES)) errors.pkce = 'Choose required or optional.';
  if (!choiceOf(typed.mfa, MFA_CHOICES)) errors.mfa = 'Choose one of the listed policies.';
  if (!resources) errors.resources = 'Choose among the listed APIs.';

  const redirects = linesOf(typed.redirectUris);
  const badRedirect = redirects.find((uri) => !isAbsoluteUrl(uri));
  if (badRedirect) errors.redirect_uris = `${badRedirect} is not an absolute URL without a fragment.`;
  else if (typed.grantTypes.includes('authorization_code') && redirects.length === 0)
    errors.redirect_uris = 'Sign-in (authorization_code) needs at least one redirect URI.';
  const postLogout = linesOf(typed.postLogoutRedirectUris);
  const badPostLogout = postLogout.find((uri) => !isAbsoluteUrl(uri));
  if (badPostLogout) errors.post_logout_redirect_uris = `${badPostLogout} is not an absolute URL.`;
  // The same https-or-loopback rule the service applies, said next to the field it concerns.
  if (!errors.redirect_uris && !errors.post_logout_redirect_uris) {
    try {
      assertClientUrisAllowed(
        { redirect_uris: redirects, post_logout_redirect_uris: postLogout, application_type: typed.applicationType },
        (message) => new Error(message),
      );
    } catch (error) {
      const message = (error as Error).message;
      errors[message.startsWith('post-logout') ? 'post_logout_redirect_uris' : 'redirect_uris'] =
        message.charAt(0).toUpperCase() + message.slice(1) + '.';
    }
  }
  const badOrigin = linesOf(typed.allowedOrigins).find((o) => !URL.canParse(o) || new URL(o).origin !== o);
  if (badOrigin) errors.allowed_origins = `${badOrigin} is not an origin (scheme, host and port, no path).`;
  if (typed.backchannelLogoutUri && !isAbsoluteUrl(typed.backchannelLogoutUri))
    errors.backchannel_logout_uri = 'Give an absolute https URL, or leave it empty.';
  return typed;
}

/** The create form, as `client add` takes it. */
export function readNewApplication(form: PostedForm): ParsedForm<NewClient> {
  const errors: FieldErrors = {};
  const applicationType = choiceOf(textOf(form, 'application_type'), APPLICATION_TYPES);
  const authMethod = choiceOf(textOf(form, 'auth_method'), AUTH_METHODS);
  if (!applicationType) errors.application_type = 'Choose web or native.';
  if (!authMethod) errors.auth_method = 'Choose how the application proves who it is.';
  const typed = readShared(form, errors, {
    ...NEW_APPLICATION,
    applicationType: applicationType ?? 'web',
    authMethod: authMethod ?? 'client_secret_basic',
    jwksUri: textOf(form, 'jwks_uri') ?? '',
  });
  if (authMethod === 'private_key_jwt' && !isAbsoluteUrl(typed.jwksUri))
    errors.jwks_uri = 'private_key_jwt needs the https URL of the application’s public keys.';
  if (authMethod === 'none' && typed.pkce === 'optional')
    errors.pkce = 'A public application has no secret: PKCE is its only protection and stays required.';
  if (Object.keys(errors).length) return { ok: false, errors, typed };
  return {
    ok: true,
    typed,
    value: {
      name: typed.name,
      redirectUris: linesOf(typed.redirectUris),
      postLogoutRedirectUris: linesOf(typed.postLogoutRedirectUris),
      grantTypes: typed.grantTypes,
      authMethod: authMethod as AuthMethod,
      applicationType: applicationType as ApplicationType,
      firstParty: typed.firstParty,
      ...(typed.mfa === 'default' ? {} : { mfaPolicy: typed.mfa as MfaMode }),
      ...(typed.jwksUri && authMethod === 'private_key_jwt' ? { jwksUri: typed.jwksUri } : {}),
      ...(typed.backchannelLogoutUri ? { backchannelLogoutUri: typed.backchannelLogoutUri } : {}),
      resources: typed.resources,
      allowedOrigins: linesOf(typed.allowedOrigins),
      pkce: typed.pkce as PkceMode,
      links: typed.links,
    },
  };
}

/** The edit form, as `client update` takes it: every shown setting replaced by what the form says. */
export function readApplicationChanges(form: PostedForm, current: ClientSummary): ParsedForm<ClientChanges> {
  const errors: FieldErrors = {};
  const stored = formValuesOf(current);
  // Only a public application's browser origins are a setting its page shows and changes.
  const isPublic = current.token_endpoint_auth_method === 'none';
  const typed = readShared(isPublic ? form : { ...form, allowed_origins: undefined }, errors, stored);
  if (isPublic && typed.pkce === 'optional')
    errors.pkce = 'A public application has no secret: PKCE is its only protection and stays required.';
  if (Object.keys(errors).length) return { ok: false, errors, typed: { ...typed, resources: stored.resources } };
  return {
    ok: true,
    typed,
    value: {
      name: typed.name,
      redirectUris: linesOf(typed.redirectUris),
      postLogoutRedirectUris: linesOf(typed.postLogoutRedirectUris),
      grantTypes: typed.grantTypes,
      firstParty: typed.firstParty,
      pkce: typed.pkce as PkceMode,
      mfaPolicy: typed.mfa as MfaMode | 'default',
      // Only a public application's origins are its own setting; a confidential one never gets CORS.
      ...(isPublic ? { allowedOrigins: linesOf(typed.allowedOrigins) } : {}),
      links: typed.links,
    },
  };
}

/** Which field a refusal of the client service (ERR_CLIENT_INVALID) concerns, by what it names. */
export function fieldOfClientRefusal(message: string): string {
  const m = message.toLowerCase();
  const link = CLIENT_LINK_FIELDS.find((field) => m.startsWith(field));
  if (link) return link;
  if (m.includes('post-logout') || m.includes('post_logout')) return 'post_logout_redirect_uris';
  if (m.includes('redirect')) return 'redirect_uris';
  if (m.includes('jwks')) return 'jwks_uri';
  if (m.includes('origin')) return 'allowed_origins';
  if (m.includes('pkce')) return 'pkce';
  if (m.includes('resource') || m.includes('management api')) return 'resources';
  if (m.includes('grant') || m.includes('response_type')) return 'grant_types';
  if (m.includes('backchannel')) return 'backchannel_logout_uri';
  if (m.includes('mfa')) return 'mfa';
  return 'form';
}
