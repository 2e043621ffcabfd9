import { type Command, required, table, UsageError, type Values } from '../command.js';
import type { CliStdin } from '../cli-stdin.js';
import { withContainer } from '../with-container.js';
import { onOff } from './resource-options.js';
import { CONNECTION_TYPES, DEFAULT_SCOPES, type ConnectionType } from '../../connections/connection-service.js';
import { upstreamRedirectUri } from '../../connections/upstream-connections.js';

/** The client secret from stdin's first line or a hidden prompt: never on the command line (ps, shell history). */
async function clientSecret(values: Values, stdin: CliStdin): Promise<string | undefined> {
  if (values['client-secret-stdin'] === true) return stdin.readLine();
  return undefined;
}

const domainsOf = (values: Values) =>
  typeof values.domains === 'string'
    ? values.domains
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean)
    : undefined;

const shared = {
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret-stdin': { type: 'boolean' },
  scope: { type: 'string' },
  'button-label': { type: 'string' },
  'auto-create': { type: 'string' },
  domains: { type: 'string' },
  'trust-upstream-mfa': { type: 'string' },
  'mfa-acr': { type: 'string' },
} as const;

const optionsHelp = [
  '  --issuer URL            the OpenID Provider (discovery at URL/.well-known/openid-configuration);',
  '                          for --type github, https://github.com (default) or a GitHub Enterprise Server',
  '  --client-secret-stdin   read the client secret from the first line of standard input',
  `  --scope S               default "${DEFAULT_SCOPES.oidc}" (github: "${DEFAULT_SCOPES.github}")`,
  '  --button-label TEXT     the sign-in button says "Continue with TEXT" (default: the name)',
  '  --auto-create on|off    a first sign-in with a verified address creates an account (default off;',
  '                          REGISTRATION=domain limits it to REGISTRATION_DOMAINS too)',
  '  --domains a.com,b.org   an email at these domains typed at sign-in goes straight to this provider',
  '  --trust-upstream-mfa on|off  an upstream amr with "mfa" (or --mfa-acr) counts as a second step (default off)',
  '  --mfa-acr VALUE         the upstream acr trusted as multi-factor with --trust-upstream-mfa on',
].join('\n');

export const connectionAdd: Command = {
  path: ['connection', 'add'],
  summary: 'Let people sign in with another identity provider (OpenID Connect, or GitHub)',
  usage: [
    'gatehouse connection add --name NAME [--type oidc|github] --issuer URL --client-id ID --client-secret-stdin',
    '                         [--scope S] [--button-label TEXT] [--auto-create on|off] [--domains a.com,...]',
    '                         [--trust-upstream-mfa on|off] [--mfa-acr VALUE] [--json]',
    optionsHelp,
    'Register {ISSUER}/interaction/upstream/callback as the redirect URI at the provider.',
    'The secret is sealed with the key-encryption key, as signing keys are. Audited as admin.connection.added.',
  ].join('\n'),
  options: { name: { type: 'string' }, type: { type: 'string' }, ...shared },
  async run(values, config, out, stdin) {
    const name = required(values, 'name');
    const type = (values.type ?? 'oidc') as ConnectionType;
    if (!CONNECTION_TYPES.includes(type)) throw new UsageError(`--type must be one of ${CONNECTION_TYPES.join(', ')}`);
    const clientId = required(values, 'client-id');
    const secret = await clientSecret(values, stdin);
    if (!secret) throw new UsageError('no client secret: pipe it in with --client-secret-stdin');
    const created = await withContainer(config, (c) =>
      c.connections.add({
        name,
        type,
        issuer: values.issuer as string | undefined,
        clientId,
        clientSecret: secret,
        scope: values.scope as string | undefined,
        buttonLabel: values['button-label'] as string | undefined,
        autoCreate: onOff(values, 'auto-create'),
        domains: domainsOf(values),
        trustUpstreamMfa: onOff(values, 'trust-upstream-mfa'),
        mfaAcr: values['mfa-acr'] as string | undefined,
      }),
    );
    const redirectUri = upstreamRedirectUri(config.issuer);
    out.result(
      `added connection ${created.name} (${created.type}, ${created.issuer})\nredirect URI to register there: ${redirectUri}`,
      {
        ...created,
        redirectUri,
      },
    );
  },
};

export const connectionUpdate: Command = {
  path: ['connection', 'update'],
  summary: "Change a connection's issuer, client, secret, scope, label, auto-create, domains or MFA trust",
  usage: [
    'gatehouse connection update --name NAME [--issuer URL] [--client-id ID] [--client-secret-stdin] [--scope S]',
    '                            [--button-label TEXT] [--auto-create on|off] [--domains a.com,...]',
    '                            [--trust-upstream-mfa on|off] [--mfa-acr VALUE] [--json]',
    'Only what is given changes; --domains "" clears the list. Audited as admin.connection.updated.',
  ].join('\n'),
  options: { name: { type: 'string' }, ...shared },
  async run(values, config, out, stdin) {
    const name = required(values, 'name');
    const secret = await clientSecret(values, stdin);
    if (values['client-secret-stdin'] === true && !secret) throw new UsageError('the client secret is empty');
    const updated = await withContainer(config, (c) =>
      c.connections.update(name, {
        issuer: values.issuer as string | undefined,
        clientId: values['client-id'] as string | undefined,
        clientSecret: secret,
        scope: values.scope as string | undefined,
        buttonLabel: values['button-label'] as string | undefined,
        autoCreate: onOff(values, 'auto-create'),
        domains: domainsOf(values),
        trustUpstreamMfa: onOff(values, 'trust-upstream-mfa'),
        mfaAcr: values['mfa-acr'] as string | undefined,
      }),
    );
    out.result(`updated connection ${updated.name}`, updated);
  },
};

export const connectionList: Command = {
  path: ['connection', 'list'],
  summary: 'List the identity providers people may sign in with (never their secrets)',
  usage: 'gatehouse connection list [--json]',
  options: {},
  async run(_values, config, out) {
    const connections = await withContainer(config, (c) => c.connections.list(), { readOnly: true });
    const rows = connections.map((c) => ({
      ...c,
      autoCreate: c.autoCreate ? 'on' : 'off',
      domains: c.domains.join(','),
      trustUpstreamMfa: c.trustUpstreamMfa ? 'on' : 'off',
    }));
    out.result(
      table(rows, ['name', 'type', 'issuer', 'clientId', 'buttonLabel', 'autoCreate', 'domains', 'trustUpstreamMfa']),
      {
        connections,
        redirectUri: upstreamRedirectUri(config.issuer),
      },
    );
  },
};

export const connectionRemove: Command = {
  path: ['connection', 'remove'],
  summary: 'Remove a connection and every identity linked through it (the accounts stay)',
  usage:
    'gatehouse connection remove --name NAME [--json]\nPeople who signed in only through it then need a password reset or a passkey. Audited as admin.connection.removed.',
  options: { name: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    const removed = await withContainer(config, (c) => c.connections.remove(name));
    out.result(
      `removed connection ${removed.name} and ${removed.identities} linked identit${removed.identities === 1 ? 'y' : 'ies'}`,
      {
        ...removed,
        removed: true,
      },
    );
  },
};
