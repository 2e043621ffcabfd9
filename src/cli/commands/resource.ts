import { type Command, positiveInt, required, table, UsageError, type Values } from '../command.js';
import { withContainer } from '../with-container.js';
import {
  TOKEN_FORMATS,
  type TokenFormat,
  MIN_ACCESS_TOKEN_TTL,
  MAX_ACCESS_TOKEN_TTL,
} from '../../resources/resource-service.js';
import { ACCESS_TOKEN_TTL } from '../../kernel/token-lifetimes.js';
import { onOff, scopeDescriptionsOf, tokenClaimsOf } from './resource-options.js';

const NAMES_HELP = [
  '--name "Notes API" and --scope-description read="Read your notes" (repeatable) are what people see on',
  'the consent page and among their connected apps ("Notes API: Read your notes"); without them, the',
  'identifier and the scope.',
].join('\n');

const DYNAMIC_HELP = [
  '--dynamic-clients allow: clients that registered themselves (CLIENT_REGISTRATION) or came by a metadata',
  'document (CLIENT_ID_METADATA_DOCUMENTS) may get tokens for it, with at most --dynamic-scopes (default:',
  'all its scopes); deny (the default) refuses them invalid_target. Never for the management API.',
].join('\n');

function allowDeny(values: Values): boolean | undefined {
  const value = values['dynamic-clients'];
  if (value === undefined) return undefined;
  if (value !== 'allow' && value !== 'deny') throw new UsageError('--dynamic-clients must be allow or deny');
  return value === 'allow';
}

export const resourceAdd: Command = {
  path: ['resource', 'add'],
  summary: 'Register an API (resource server) and its introspection credentials (secret shown once)',
  usage: [
    'gatehouse resource add --identifier URI --scope "read write" [--token-format jwt|opaque] [--ttl SECONDS]',
    '                       [--rbac on|off] [--token-claims roles,groups]',
    '                       [--dynamic-clients allow|deny] [--dynamic-scopes "read"]',
    '                       [--name "Notes API"] [--scope-description read="Read your notes"]... [--json]',
    'The identifier is what clients send as `resource` (RFC 8707) and what tokens carry as `aud`:',
    'an absolute https URL (http only for localhost) without a fragment.',
    `Defaults: --token-format jwt (RFC 9068), --ttl ${ACCESS_TOKEN_TTL} (between ${MIN_ACCESS_TOKEN_TTL} and ${MAX_ACCESS_TOKEN_TTL}).`,
    "Prints the API's own client_id and client_secret, for the introspection endpoint.",
    'No client may ask tokens for it until granted: `gatehouse client add --resource URI` or `gatehouse client grant`.',
    "--rbac on: a person's token carries only the scopes their roles permit (`gatehouse role permit`);",
    'client_credentials tokens are unaffected. Off by default.',
    "--token-claims roles,groups: its access tokens also carry the person's roles and/or groups.",
    NAMES_HELP,
    DYNAMIC_HELP,
  ].join('\n'),
  options: {
    identifier: { type: 'string' },
    scope: { type: 'string' },
    'token-format': { type: 'string' },
    ttl: { type: 'string' },
    rbac: { type: 'string' },
    'token-claims': { type: 'string' },
    'dynamic-clients': { type: 'string' },
    'dynamic-scopes': { type: 'string' },
    name: { type: 'string' },
    'scope-description': { type: 'string', multiple: true },
  },
  async run(values, config, out) {
    const identifier = required(values, 'identifier');
    const scope = required(values, 'scope');
    const tokenFormat = (values['token-format'] ?? 'jwt') as TokenFormat;
    if (!TOKEN_FORMATS.includes(tokenFormat))
      throw new UsageError(`--token-format must be one of ${TOKEN_FORMATS.join(', ')}`);
    const accessTokenTtl = positiveInt(values, 'ttl', ACCESS_TOKEN_TTL);
    const rbac = onOff(values, 'rbac') ?? false;
    const tokenClaims = tokenClaimsOf(values) ?? [];
    const dynamicClients = allowDeny(values) ?? false;
    const dynamicScopes = values['dynamic-scopes'] as string | undefined;
    const created = await withContainer(config, (c) =>
      c.resources.add({
        identifier,
        scope,
        tokenFormat,
        accessTokenTtl,
        rbac,
        tokenClaims,
        dynamicClients,
        dynamicScopes,
        name: values.name as string | undefined,
        scopeDescriptions: scopeDescriptionsOf(values),
      }),
    );
    out.result(
      `identifier:    ${created.identifier}\nclient_id:     ${created.client_id}\nclient_secret: ${created.client_secret}\n(store the secret now: it is not shown again)`,
      created,
    );
  },
};

export const resourceUpdate: Command = {
  path: ['resource', 'update'],
  summary:
    "Change an API's scopes, token format, token lifetime, RBAC, token claims, name or scope descriptions; its identifier and credentials stay",
  usage: [
    'gatehouse resource update --identifier URI [--scope "read write"] [--token-format jwt|opaque] [--ttl SECONDS]',
    '                          [--rbac on|off] [--token-claims roles,groups]',
    '                          [--dynamic-clients allow|deny] [--dynamic-scopes "read"]',
    '                          [--name "Notes API"] [--scope-description read="Read your notes"]... [--json]',
    "Only what is given changes. --scope replaces the API's scopes: clients granted a scope that is gone",
    'stop getting it in new tokens, and roles lose their permission for it; tokens already issued keep',
    'what they carry until they expire.',
    "--rbac on: a person's next token or refresh carries only the scopes their roles permit.",
    '--token-claims replaces the list; --token-claims "" clears it.',
    '--name replaces the name (--name "" clears it); each --scope-description sets that scope\'s (write= removes it).',
    NAMES_HELP,
    DYNAMIC_HELP,
  ].join('\n'),
  options: {
    identifier: { type: 'string' },
    scope: { type: 'string' },
    'token-format': { type: 'string' },
    ttl: { type: 'string' },
    rbac: { type: 'string' },
    'token-claims': { type: 'string' },
    'dynamic-clients': { type: 'string' },
    'dynamic-scopes': { type: 'string' },
    name: { type: 'string' },
    'scope-description': { type: 'string', multiple: true },
  },
  async run(values, config, out) {
    const identifier = required(values, 'identifier');
    const tokenFormat = values['token-format'] as TokenFormat | undefined;
    if (tokenFormat !== undefined && !TOKEN_FORMATS.includes(tokenFormat))
      throw new UsageError(`--token-format must be one of ${TOKEN_FORMATS.join(', ')}`);
    const accessTokenTtl = values.ttl === undefined ? undefined : positiveInt(values, 'ttl', ACCESS_TOKEN_TTL);
    const scope = values.scope as string | undefined;
    const rbac = onOff(values, 'rbac');
    const tokenClaims = tokenClaimsOf(values);
    const dynamicClients = allowDeny(values);
    const dynamicScopes = values['dynamic-scopes'] as string | undefined;
    const name = values.name as string | undefined;
    const scopeDescriptions = scopeDescriptionsOf(values);
    const changes = {
      scope,
      tokenFormat,
      accessTokenTtl,
      rbac,
      tokenClaims,
      dynamicClients,
      dynamicScopes,
      name,
      scopeDescriptions,
    };
    if (Object.values(changes).every((value) => value === undefined))
      throw new UsageError(
        'nothing to change: give --scope, --token-format, --ttl, --rbac, --token-claims, --dynamic-clients, --dynamic-scopes, --name or --scope-description',
      );
    const updated = await withContainer(config, (c) => c.resources.update(identifier, changes));
    out.result(
      `updated ${updated.identifier}${updated.name ? ` (${updated.name})` : ''}: scopes ${updated.scopes.join(' ')}, ${updated.tokenFormat}, ttl ${updated.accessTokenTtl} s, rbac ${updated.rbac ? 'on' : 'off'}, token claims ${updated.tokenClaims.join(',') || 'none'}, dynamic clients ${updated.dynamicClients ? `allowed (${updated.dynamicScopes.join(' ')})` : 'denied'}`,
      updated,
    );
  },
};

export const resourceList: Command = {
  path: ['resource', 'list'],
  summary: 'List registered APIs (never their secrets)',
  usage: 'gatehouse resource list [--json]',
  options: {},
  async run(_values, config, out) {
    const resources = await withContainer(config, (c) => c.resources.list(), { readOnly: true });
    const rows = resources.map((r) => ({
      ...r,
      scopes: r.scopes.join(' '),
      rbac: r.rbac ? 'on' : 'off',
      tokenClaims: r.tokenClaims.join(','),
      dynamicClients: r.dynamicClients ? `allow (${r.dynamicScopes.join(' ')})` : 'deny',
    }));
    out.result(
      table(rows, [
        'identifier',
        'scopes',
        'tokenFormat',
        'accessTokenTtl',
        'rbac',
        'tokenClaims',
        'dynamicClients',
        'clientId',
      ]),
      { resources },
    );
  },
};

export const resourceRemove: Command = {
  path: ['resource', 'remove'],
  summary: 'Remove an API and its client (tokens already issued stay valid until they expire)',
  usage:
    'gatehouse resource remove --identifier URI [--json]\nThe built-in management API ({ISSUER}/admin/api) cannot be removed (ERR_RESOURCE_BUILT_IN).',
  options: { identifier: { type: 'string' } },
  async run(values, config, out) {
    const identifier = required(values, 'identifier');
    const removed = await withContainer(config, (c) => c.resources.remove(identifier));
    out.result(`removed resource ${identifier} and its client ${removed.client_id}`, { ...removed, removed: true });
  },
};
