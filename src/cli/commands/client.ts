import { MFA_MODES, type MfaMode } from '../../mfa/mfa-mode.js';
import { type Command, list, required, table, UsageError } from '../command.js';
import { withContainer } from '../with-container.js';
import {
  APPLICATION_TYPES,
  AUTH_METHODS,
  ID_TOKEN_ALGS,
  RESPONSE_TYPES,
  type ApplicationType,
  type AuthMethod,
  type ClientSummary,
  type IdTokenAlg,
  type ResponseType,
} from '../../clients/client-service.js';
import { PKCE_MODES, type PkceMode } from '../../clients/client-pkce.js';
import type { ClientLinks } from '../../clients/client-links.js';

/** The consent page's links of an app (src/clients/client-links.ts): one option each. */
const LINK_OPTIONS = {
  'logo-uri': { type: 'string' },
  'policy-uri': { type: 'string' },
  'tos-uri': { type: 'string' },
  'client-uri': { type: 'string' },
} as const;

/** The link options given, by their metadata names. */
function linksOf(values: Record<string, unknown>): ClientLinks {
  const given = (option: keyof typeof LINK_OPTIONS) => values[option] as string | undefined;
  return {
    logo_uri: given('logo-uri'),
    policy_uri: given('policy-uri'),
    tos_uri: given('tos-uri'),
    client_uri: given('client-uri'),
  };
}

export const clientAdd: Command = {
  path: ['client', 'add'],
  summary: 'Register an OAuth client (its secret is shown once)',
  usage: [
    'gatehouse client add --name N [--redirect-uri U]... [--post-logout-redirect-uri U]...',
    '    [--grant-type G]... [--auth-method client_secret_basic|client_secret_post|private_key_jwt|none]',
    '    [--jwks-uri U] [--backchannel-logout-uri U] [--application-type web|native]',
    '    [--id-token-alg RS256|ES256] [--resource URI]... [--allowed-origin ORIGIN]... [--first-party]',
    '    [--mfa off|adaptive|always] [--response-type code|id_token]... [--pkce required|optional]',
    '    [--logo-uri U] [--policy-uri U] [--tos-uri U] [--client-uri U] [--json]',
    "The consent page shows the app's logo (--logo-uri), privacy policy, terms and home page: https URLs only.",
    'Defaults: --grant-type authorization_code, --auth-method client_secret_basic, --application-type web,',
    '--id-token-alg RS256, --response-type code, --pkce required. --response-type id_token is for apps that',
    'sign in with an ID token posted back (express-openid-connect, ASP.NET Core defaults; nonce required).',
    '--pkce optional lets a confidential client that cannot send PKCE (mod_auth_openidc without OIDCPKCEMethod S256) sign in. private_key_jwt needs --jwks-uri; none (public clients) gets no secret.',
    'Redirect URIs match exactly; only native apps on http://127.0.0.1 or http://[::1] may use any port.',
    "--first-party skips the consent screen. --mfa sets when this app's sign-ins ask for a second factor",
    '(default: MFA_POLICY); always also makes people without an authenticator set one up. --require-mfa = --mfa always.',
    '--resource lets the client ask tokens for that API (gatehouse resource add) with all its scopes;',
    'without it the client may ask for no API at all. Narrow it later with `gatehouse client grant`.',
    'Only a hash of the secret is stored. A public client (--auth-method none, a single-page app) may call',
    "the token, userinfo and revocation endpoints from its redirect URIs' origins, or from those named",
    'with --allowed-origin (https://app.example.com; http only on localhost); confidential clients never.',
    'A TV, console or command-line app signs people in with the device grant (RFC 8628): --grant-type',
    'urn:ietf:params:oauth:grant-type:device_code (or its alias device_code), usually with --auth-method none',
    'and no redirect URI; the person types its code at {ISSUER}/device.',
  ].join('\n'),
  options: {
    name: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'post-logout-redirect-uri': { type: 'string', multiple: true },
    'grant-type': { type: 'string', multiple: true },
    'auth-method': { type: 'string' },
    'jwks-uri': { type: 'string' },
    'backchannel-logout-uri': { type: 'string' },
    'application-type': { type: 'string' },
    'id-token-alg': { type: 'string' },
    'first-party': { type: 'boolean' },
    'require-mfa': { type: 'boolean' },
    mfa: { type: 'string' },
    resource: { type: 'string', multiple: true },
    'allowed-origin': { type: 'string', multiple: true },
    'response-type': { type: 'string', multiple: true },
    pkce: { type: 'string' },
    ...LINK_OPTIONS,
  },
  async run(values, config, out) {
    const name = required(values, 'name');
    const authMethod = (values['auth-method'] ?? 'client_secret_basic') as AuthMethod;
    if (!AUTH_METHODS.includes(authMethod))
      throw new UsageError(`--auth-method must be one of ${AUTH_METHODS.join(', ')}`);
    const applicationType = values['application-type'] as ApplicationType | undefined;
    if (applicationType !== undefined && !APPLICATION_TYPES.includes(applicationType))
      throw new UsageError(`--application-type must be one of ${APPLICATION_TYPES.join(', ')}`);
    const idTokenAlg = values['id-token-alg'] as IdTokenAlg | undefined;
    if (idTokenAlg !== undefined && !ID_TOKEN_ALGS.includes(idTokenAlg))
      throw new UsageError(`--id-token-alg must be one of ${ID_TOKEN_ALGS.join(', ')}`);
    const created = await withContainer(config, (c) =>
      c.clients.add({
        name,
        redirectUris: list(values, 'redirect-uri'),
        postLogoutRedirectUris: list(values, 'post-logout-redirect-uri'),
        grantTypes: list(values, 'grant-type'),
        authMethod,
        jwksUri: values['jwks-uri'] as string | undefined,
        backchannelLogoutUri: values['backchannel-logout-uri'] as string | undefined,
        applicationType,
        idTokenAlg,
        firstParty: Boolean(values['first-party']),
        requireMfa: Boolean(values['require-mfa']),
        mfaPolicy: mfaMode(values.mfa),
        resources: list(values, 'resource'),
        allowedOrigins: list(values, 'allowed-origin'),
        responseTypes: responseTypes(values['response-type']),
        pkce: pkceMode(values.pkce),
        links: linksOf(values),
      }),
    );
    const text = created.client_secret
      ? `client_id:     ${created.client_id}\nclient_secret: ${created.client_secret}\n(store the secret now: it is not shown again)`
      : `client_id: ${created.client_id}`;
    out.result(text, created);
  },
};

/** The --mfa value, checked. */
function mfaMode(value: unknown): MfaMode | undefined {
  if (value === undefined) return undefined;
  if (!MFA_MODES.includes(value as MfaMode)) throw new UsageError(`--mfa must be one of ${MFA_MODES.join(', ')}`);
  return value as MfaMode;
}

/** The --response-type values, checked. */
function responseTypes(value: unknown): ResponseType[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  for (const type of value) {
    if (!RESPONSE_TYPES.includes(type as ResponseType))
      throw new UsageError(`--response-type must be one of ${RESPONSE_TYPES.join(', ')}`);
  }
  return value as ResponseType[];
}

/** The --pkce value, checked. */
function pkceMode(value: unknown): PkceMode | undefined {
  if (value === undefined) return undefined;
  if (!PKCE_MODES.includes(value as PkceMode)) throw new UsageError(`--pkce must be one of ${PKCE_MODES.join(', ')}`);
  return value as PkceMode;
}

/** A repeatable option: its values when given at all, else undefined (leave the setting as it is). */
const replacing = (value: unknown): string[] | undefined => (Array.isArray(value) ? value : undefined);

/** One client as lines of `key: value`, every URI kind and policy, for people. */
function describeClient(c: ClientSummary): string {
  const grants = Object.entries(c.resources).map(([uri, scopes]) => `${uri} (${scopes.join(' ')})`);
  const rows: [string, string][] = [
    ['client_id', c.client_id],
    ['name', c.client_name],
    ['auth method', c.token_endpoint_auth_method],
    ['application type', c.application_type],
    ['grant types', c.grant_types.join(' ')],
    ['response types', c.response_types.join(' ')],
    ['pkce', c.pkce],
    ['mfa', c.mfa_policy],
    ['first party', String(c.first_party)],
    ['redirect URIs', c.redirect_uris.join(' ')],
    ['post-logout URIs', c.post_logout_redirect_uris.join(' ')],
    ['back-channel logout', c.backchannel_logout_uri ?? ''],
    ['web origins (CORS)', c.web_origins.join(' ')],
    ['APIs', grants.join(', ')],
    ['logo', c.logo_uri ?? ''],
    ['privacy policy', c.policy_uri ?? ''],
    ['terms', c.tos_uri ?? ''],
    ['home page', c.client_uri ?? ''],
  ];
  return rows.map(([key, value]) => `${`${key}:`.padEnd(21)}${value || '-'}`).join('\n');
}

export const clientUpdate: Command = {
  path: ['client', 'update'],
  summary: "Change a client's settings; its id and secret stay",
  usage: [
    'gatehouse client update --client-id ID [--name N] [--redirect-uri U]... [--post-logout-redirect-uri U]...',
    '    [--grant-type G]... [--response-type code|id_token]... [--resource URI]... [--allowed-origin ORIGIN]...',
    '    [--pkce required|optional] [--mfa off|adaptive|always|default] [--first-party | --no-first-party]',
    '    [--logo-uri U] [--policy-uri U] [--tos-uri U] [--client-uri U] [--json]',
    'Only what is given changes. A repeatable option replaces the whole list: give every redirect URI the',
    "client keeps. --resource replaces the client's API grants (each with all its scopes; narrow one with",
    '`gatehouse client grant`). --mfa default follows MFA_POLICY. --pkce optional only for confidential clients.',
    '--grant-type device_code is short for urn:ietf:params:oauth:grant-type:device_code (RFC 8628).',
    'The consent page\'s links (https only): --logo-uri, --policy-uri, --tos-uri, --client-uri; "" removes one.',
  ].join('\n'),
  options: {
    'client-id': { type: 'string' },
    name: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'post-logout-redirect-uri': { type: 'string', multiple: true },
    'grant-type': { type: 'string', multiple: true },
    'response-type': { type: 'string', multiple: true },
    resource: { type: 'string', multiple: true },
    'allowed-origin': { type: 'string', multiple: true },
    pkce: { type: 'string' },
    mfa: { type: 'string' },
    'first-party': { type: 'boolean' },
    'no-first-party': { type: 'boolean' },
    ...LINK_OPTIONS,
  },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    const mode = values.mfa;
    const mfaPolicy = mode === undefined ? undefined : mode === 'default' ? 'default' : mfaMode(mode);
    if (values['first-party'] && values['no-first-party'])
      throw new UsageError('give --first-party or --no-first-party, not both');
    const firstParty = values['first-party'] ? true : values['no-first-party'] ? false : undefined;
    const { client: updated } = await withContainer(config, (c) =>
      c.clients.update(clientId, {
        name: values.name as string | undefined,
        redirectUris: replacing(values['redirect-uri']),
        postLogoutRedirectUris: replacing(values['post-logout-redirect-uri']),
        grantTypes: replacing(values['grant-type']),
        responseTypes: responseTypes(values['response-type']),
        resources: replacing(values.resource),
        allowedOrigins: replacing(values['allowed-origin']),
        pkce: pkceMode(values.pkce),
        mfaPolicy,
        firstParty,
        links: linksOf(values),
      }),
    );
    out.result(`updated client ${clientId}\n${describeClient(updated)}`, updated);
  },
};

export const clientShow: Command = {
  path: ['client', 'show'],
  summary: 'Show one client: URIs, grant and response types, PKCE, MFA, APIs (never its secret)',
  usage: 'gatehouse client show --client-id ID [--json]',
  options: { 'client-id': { type: 'string' } },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    const client = await withContainer(config, (c) => c.clients.show(clientId), { readOnly: true });
    out.result(describeClient(client), client);
  },
};

export const clientList: Command = {
  path: ['client', 'list'],
  summary: 'List registered clients',
  usage: [
    'gatehouse client list [--dynamic] [--json]',
    '--dynamic: only the clients that registered themselves (CLIENT_REGISTRATION), with when they registered and',
    'when a token was last issued to them; one with none for DYNAMIC_CLIENT_IDLE_DAYS is removed by the server.',
    '`gatehouse client remove` removes one at once.',
  ].join('\n'),
  options: { dynamic: { type: 'boolean' } },
  async run(values, config, out) {
    if (values.dynamic) {
      const dynamic = await withContainer(config, (c) => c.idleDynamicClients.list(), { readOnly: true });
      out.result(
        table(
          dynamic.map((c) => ({
            ...c,
            redirect_uris: c.redirect_uris.join(' '),
            last_token_at: c.last_token_at ?? 'never',
          })),
          ['client_id', 'client_name', 'token_endpoint_auth_method', 'redirect_uris', 'registered_at', 'last_token_at'],
        ),
        { clients: dynamic },
      );
      return;
    }
    const clients = await withContainer(config, (c) => c.clients.list(), { readOnly: true });
    const rows = clients.map((c) => ({
      ...c,
      redirect_uris: c.redirect_uris.join(' '),
      post_logout_redirect_uris: c.post_logout_redirect_uris.join(' '),
      web_origins: c.web_origins.join(' '),
      grant_types: c.grant_types.join(' '),
      resources: Object.entries(c.resources)
        .map(([uri, scopes]) => `${uri} (${scopes.join(' ')})`)
        .join(', '),
    }));
    out.result(
      table(rows, [
        'client_id',
        'client_name',
        'token_endpoint_auth_method',
        'grant_types',
        'pkce',
        'mfa_policy',
        'redirect_uris',
        'post_logout_redirect_uris',
        'backchannel_logout_uri',
        'web_origins',
        'resources',
      ]),
      { clients },
    );
  },
};

export const clientGrant: Command = {
  path: ['client', 'grant'],
  summary: 'Let a client ask tokens for an API, with all or some of its scopes',
  usage: [
    'gatehouse client grant --client-id ID --resource URI [--scope "read write"] [--json]',
    'Replaces what the client had for that API. Without --scope: every scope of the API.',
    'RFC 8707: the client then sends `resource=URI`; a scope of the API not granted here is refused',
    'with invalid_scope, an API not granted with invalid_target. The management API ({ISSUER}/admin/api)',
    'is never granted to a public client (--auth-method none).',
  ].join('\n'),
  options: { 'client-id': { type: 'string' }, resource: { type: 'string' }, scope: { type: 'string' } },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    const resource = required(values, 'resource');
    const scope = values.scope as string | undefined;
    const { version: _version, ...granted } = await withContainer(config, (c) =>
      c.clients.grant(clientId, resource, scope),
    );
    out.result(
      `client ${clientId} may now ask tokens for ${granted.resource} with: ${granted.scopes.join(' ')}`,
      granted,
    );
  },
};

export const clientRevokeGrant: Command = {
  path: ['client', 'revoke-grant'],
  summary: 'Stop a client asking tokens for an API',
  usage: [
    'gatehouse client revoke-grant --client-id ID --resource URI [--json]',
    'New tokens and refreshes for that API are refused (invalid_target); access tokens already',
    'issued stay valid until they expire.',
  ].join('\n'),
  options: { 'client-id': { type: 'string' }, resource: { type: 'string' } },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    const resource = required(values, 'resource');
    await withContainer(config, (c) => c.clients.revokeGrant(clientId, resource));
    out.result(`client ${clientId} may no longer ask tokens for ${resource}`, {
      client_id: clientId,
      resource,
      revoked: true,
    });
  },
};

export const clientRotateSecret: Command = {
  path: ['client', 'rotate-secret'],
  summary: 'Give a client a new secret (shown once); the old one stops working at once',
  usage: 'gatehouse client rotate-secret --client-id ID [--json]',
  options: { 'client-id': { type: 'string' } },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    const { version: _version, ...rotated } = await withContainer(config, (c) => c.clients.rotateSecret(clientId));
    out.result(
      `client_id:     ${rotated.client_id}\nclient_secret: ${rotated.client_secret}\n(store the secret now: it is not shown again)`,
      rotated,
    );
  },
};

export const clientRemove: Command = {
  path: ['client', 'remove'],
  summary: 'Remove a client and revoke its grants and tokens',
  usage: [
    'gatehouse client remove --client-id ID [--json]',
    'Every grant, code and token (opaque or JWT) of the client is revoked: introspection says',
    'active: false for them from now on.',
  ].join('\n'),
  options: { 'client-id': { type: 'string' } },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    const { revoked } = await withContainer(config, (c) => c.clients.remove(clientId));
    out.result(`removed client ${clientId} and revoked ${revoked} grant(s), code(s) and token(s)`, {
      client_id: clientId,
      removed: true,
      revoked,
    });
  },
};
