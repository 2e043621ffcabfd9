import { MFA_MODES, type MfaMode } from '../../mfa/decide-second-step.js';
import { type Command, list, required, table, UsageError } from '../command.js';
import { withContainer } from '../with-container.js';
import { APPLICATION_TYPES, AUTH_METHODS, ID_TOKEN_ALGS, type ApplicationType, type AuthMethod, type IdTokenAlg } from '../../clients/client-service.js';

export const clientAdd: Command = {
  path: ['client', 'add'],
  summary: 'Register an OAuth client (its secret is shown once)',
  usage: [
    'gatehouse client add --name N [--redirect-uri U]... [--post-logout-redirect-uri U]...',
    '    [--grant-type G]... [--auth-method client_secret_basic|client_secret_post|private_key_jwt|none]',
    '    [--jwks-uri U] [--backchannel-logout-uri U] [--application-type web|native]',
    '    [--id-token-alg RS256|ES256] [--resource URI]... [--allowed-origin ORIGIN]... [--first-party]',
    '    [--mfa off|adaptive|always] [--json]',
    'Defaults: --grant-type authorization_code, --auth-method client_secret_basic, --application-type web,',
    '--id-token-alg RS256. private_key_jwt needs --jwks-uri; none (public clients) gets no secret.',
    'Redirect URIs match exactly; only native apps on http://127.0.0.1 or http://[::1] may use any port.',
    '--first-party skips the consent screen. --mfa sets when this app\'s sign-ins ask for a second factor',
    '(default: MFA_POLICY); always also makes people without an authenticator set one up. --require-mfa = --mfa always.',
    '--resource lets the client ask tokens for that API (gatehouse resource add) with all its scopes;',
    'without it the client may ask for no API at all. Narrow it later with `gatehouse client grant`.',
    'Only a hash of the secret is stored. A public client (--auth-method none, a single-page app) may call',
    'the token, userinfo and revocation endpoints from its redirect URIs\' origins, or from those named',
    'with --allowed-origin (https://app.example.com; http only on localhost); confidential clients never.',
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
  },
  async run(values, config, out) {
    const name = required(values, 'name');
    const authMethod = (values['auth-method'] ?? 'client_secret_basic') as AuthMethod;
    if (!AUTH_METHODS.includes(authMethod)) throw new UsageError(`--auth-method must be one of ${AUTH_METHODS.join(', ')}`);
    const applicationType = values['application-type'] as ApplicationType | undefined;
    if (applicationType !== undefined && !APPLICATION_TYPES.includes(applicationType)) throw new UsageError(`--application-type must be one of ${APPLICATION_TYPES.join(', ')}`);
    const idTokenAlg = values['id-token-alg'] as IdTokenAlg | undefined;
    if (idTokenAlg !== undefined && !ID_TOKEN_ALGS.includes(idTokenAlg)) throw new UsageError(`--id-token-alg must be one of ${ID_TOKEN_ALGS.join(', ')}`);
    const created = await withContainer(config, (c) => c.clients.add({
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
    }));
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

export const clientUpdate: Command = {
  path: ['client', 'update'],
  summary: 'Change a client\'s settings (today: when its sign-ins ask for a second factor)',
  usage: [
    'gatehouse client update --client-id ID --mfa off|adaptive|always|default [--json]',
    'default follows MFA_POLICY; always also makes people without an authenticator set one up at sign-in.',
  ].join('\n'),
  options: { 'client-id': { type: 'string' }, mfa: { type: 'string' } },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    const mode = required(values, 'mfa');
    const policy = mode === 'default' ? 'default' : mfaMode(mode) as MfaMode;
    const result = await withContainer(config, (c) => c.clients.setMfaPolicy(clientId, policy));
    out.result(`client ${clientId}: second step ${policy === 'default' ? 'follows MFA_POLICY' : policy}`, result);
  },
};

export const clientList: Command = {
  path: ['client', 'list'],
  summary: 'List registered clients',
  usage: 'gatehouse client list [--json]',
  options: {},
  async run(_values, config, out) {
    const clients = await withContainer(config, (c) => c.clients.list());
    const rows = clients.map((c) => ({
      ...c,
      redirect_uris: c.redirect_uris.join(' '),
      grant_types: c.grant_types.join(' '),
      resources: Object.entries(c.resources).map(([uri, scopes]) => `${uri} (${scopes.join(' ')})`).join(', '),
    }));
    out.result(table(rows, ['client_id', 'client_name', 'token_endpoint_auth_method', 'grant_types', 'mfa_policy', 'redirect_uris', 'resources']), { clients });
  },
};

export const clientGrant: Command = {
  path: ['client', 'grant'],
  summary: 'Let a client ask tokens for an API, with all or some of its scopes',
  usage: [
    'gatehouse client grant --client-id ID --resource URI [--scope "read write"] [--json]',
    'Replaces what the client had for that API. Without --scope: every scope of the API.',
    'RFC 8707: the client then sends `resource=URI`; a scope of the API not granted here is refused',
    'with invalid_scope, an API not granted with invalid_target.',
  ].join('\n'),
  options: { 'client-id': { type: 'string' }, resource: { type: 'string' }, scope: { type: 'string' } },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    const resource = required(values, 'resource');
    const scope = values.scope as string | undefined;
    const granted = await withContainer(config, (c) => c.clients.grant(clientId, resource, scope));
    out.result(`client ${clientId} may now ask tokens for ${granted.resource} with: ${granted.scopes.join(' ')}`, granted);
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
    out.result(`client ${clientId} may no longer ask tokens for ${resource}`, { client_id: clientId, resource, revoked: true });
  },
};

export const clientRotateSecret: Command = {
  path: ['client', 'rotate-secret'],
  summary: 'Give a client a new secret (shown once); the old one stops working at once',
  usage: 'gatehouse client rotate-secret --client-id ID [--json]',
  options: { 'client-id': { type: 'string' } },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    const rotated = await withContainer(config, (c) => c.clients.rotateSecret(clientId));
    out.result(`client_id:     ${rotated.client_id}\nclient_secret: ${rotated.client_secret}\n(store the secret now: it is not shown again)`, rotated);
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
    out.result(`removed client ${clientId} and revoked ${revoked} grant(s), code(s) and token(s)`, { client_id: clientId, removed: true, revoked });
  },
};
