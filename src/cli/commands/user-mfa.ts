import { type Command, required } from '../command.js';
import { withContainer } from '../with-container.js';
import { describeBrowser } from '../../sessions/describe-browser.js';

export const userShow: Command = {
  path: ['user', 'show'],
  summary:
    'Show one account: its status, profile claims, roles, groups, attributes, second factors, passkeys, recovery codes, remembered browsers and identities at other providers',
  usage: 'gatehouse user show --email E [--json]',
  options: { email: { type: 'string' } },
  async run(values, config, out) {
    const email = required(values, 'email');
    const shown = await withContainer(
      config,
      async (c) => {
        const account = await c.accounts.requireByEmail(email);
        const [status, devices, passkeys, entry, identities] = await Promise.all([
          c.mfa.status(account.id),
          c.mfa.listDevices(account.id),
          c.passkeys.list(account.id),
          c.personEntries.show(account.email),
          c.linkedIdentities.list(account.id),
        ]);
        return {
          id: account.id,
          email: account.email,
          name: account.name,
          emailVerified: account.emailVerified,
          disabled: account.disabled,
          createdAt: account.createdAt.toISOString(),
          claims: entry.claims,
          roles: entry.roles,
          groups: entry.groups,
          attributes: entry.attributes,
          factors: ['password', ...(status.totp ? ['totp'] : []), ...(passkeys.length ? ['passkey'] : [])],
          recoveryCodesLeft: status.recoveryCodesLeft,
          passkeys: passkeys.map((p) => ({
            id: p.id,
            name: p.name,
            aaguid: p.aaguid,
            deviceType: p.deviceType,
            createdAt: p.createdAt.toISOString(),
            lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
          })),
          rememberedDevices: devices.map((d) => ({
            id: d.id,
            browser: describeBrowser(d.userAgent),
            ip: d.ip,
            lastUsedAt: d.lastUsedAt.toISOString(),
            expiresAt: d.expiresAt.toISOString(),
          })),
          // Sign-ins at other identity providers (src/connections), by (connection, iss, sub).
          identities: identities.map((i) => ({
            connection: i.connection,
            issuer: i.issuer,
            subject: i.subject,
            email: i.email,
            createdAt: i.createdAt,
            lastUsedAt: i.lastUsedAt,
          })),
        };
      },
      { readOnly: true },
    );
    const text = [
      `${shown.email} (${shown.id})${shown.disabled ? ' DISABLED' : ''}`,
      ...Object.entries(shown.claims).map(([name, value]) => `${`${name}:`.padEnd(19)} ${String(value)}`),
      `roles:              ${shown.roles.join(', ') || 'none'}`,
      `groups:             ${shown.groups.join(', ') || 'none'}`,
      `attributes:         ${Object.keys(shown.attributes).length ? '' : 'none'}`.trimEnd(),
      ...Object.entries(shown.attributes).map(([name, value]) => `  ${name} = ${JSON.stringify(value)}`),
      `factors:            ${shown.factors.join(', ')}`,
      `recovery codes:     ${shown.recoveryCodesLeft} left`,
      `passkeys:           ${shown.passkeys.length ? '' : 'none'}`.trimEnd(),
      ...shown.passkeys.map(
        (p) => `  ${p.name} (AAGUID ${p.aaguid}) created ${p.createdAt}, last used ${p.lastUsedAt ?? 'never'}`,
      ),
      `remembered devices: ${shown.rememberedDevices.length ? shown.rememberedDevices.map((d) => `${d.browser} until ${d.expiresAt}`).join('; ') : 'none'}`,
      `identities:         ${shown.identities.length ? '' : 'none'}`.trimEnd(),
      ...shown.identities.map(
        (i) => `  ${i.connection}: ${i.issuer} sub ${i.subject}${i.email ? ` (${i.email})` : ''}`,
      ),
    ].join('\n');
    out.result(text, shown);
  },
};

export const userMfaReset: Command = {
  path: ['user', 'mfa', 'reset'],
  summary: "Remove a person's authenticator app, passkeys, recovery codes and remembered devices (a lost phone)",
  usage: [
    'gatehouse user mfa reset --email E [--json]',
    'Every session of theirs ends. Their next sign-in asks only for the password (or sets up a new app',
    'where an app requires one).',
    'Check who is asking first: this removes the second factor that protects the account.',
  ].join('\n'),
  options: { email: { type: 'string' } },
  async run(values, config, out) {
    const email = required(values, 'email');
    const result = await withContainer(config, async (c) => {
      const { account, removed, passkeys, devices, sessions } = await c.accountAdmin.resetMfa(email);
      return { id: account.id, email: account.email, removed, passkeys, devices, sessionsEnded: sessions };
    });
    const what = result.removed || result.passkeys > 0;
    out.result(
      `${what ? `reset two-step verification for ${result.email}` : `${result.email} had no authenticator app or passkey`}; removed ${result.passkeys} passkey(s), forgot ${result.devices} remembered device(s), ended ${result.sessionsEnded} session(s)`,
      result,
    );
  },
};
