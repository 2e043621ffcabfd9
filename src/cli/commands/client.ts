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
    '    [--id-token-alg RS256|ES256] [--first-party] [--require-mfa] [--json]',
    'Defaults: --grant-type authorization_code, --auth-method client_secret_basic, --application-type web,',
    '--id-token-alg RS256. private_key_jwt needs --jwks-uri; none (public clients) gets no secret.',
    'Redirect URIs match exactly; only native apps on http://127.0.0.1 or http://[::1] may use any port.',
    '--first-party skips the consent screen; --require-mfa is recorded now, enforced once MFA ships.',
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
    }));
    const text = created.client_secret
      ? `client_id:     ${created.client_id}\nclient_secret: ${created.client_secret}\n(store the secret now: it is not shown again)`
      : `client_id: ${created.client_id}`;
    out.result(text, created);
  },
};

export const clientList: Command = {
  path: ['client', 'list'],
  summary: 'List registered clients',
  usage: 'gatehouse client list [--json]',
  options: {},
  async run(_values, config, out) {
    const clients = await withContainer(config, (c) => c.clients.list());
    const rows = clients.map((c) => ({ ...c, redirect_uris: c.redirect_uris.join(' '), grant_types: c.grant_types.join(' ') }));
    out.result(table(rows, ['client_id', 'client_name', 'token_endpoint_auth_method', 'grant_types', 'redirect_uris']), { clients });
  },
};

export const clientRemove: Command = {
  path: ['client', 'remove'],
  summary: 'Remove a client',
  usage: 'gatehouse client remove --client-id ID [--json]',
  options: { 'client-id': { type: 'string' } },
  async run(values, config, out) {
    const clientId = required(values, 'client-id');
    await withContainer(config, (c) => c.clients.remove(clientId));
    out.result(`removed client ${clientId}`, { client_id: clientId, removed: true });
  },
};
