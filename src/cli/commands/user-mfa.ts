import { type Command, required } from '../command.js';
import { withContainer } from '../with-container.js';
import { describeBrowser } from '../../sessions/describe-browser.js';

export const userShow: Command = {
  path: ['user', 'show'],
  summary: 'Show one account: its status, second factors, recovery codes left and remembered browsers',
  usage: 'gatehouse user show --email E [--json]',
  options: { email: { type: 'string' } },
  async run(values, config, out) {
    const email = required(values, 'email');
    const shown = await withContainer(
      config,
      async (c) => {
        const account = await c.accounts.requireByEmail(email);
        const [status, devices] = await Promise.all([c.mfa.status(account.id), c.mfa.listDevices(account.id)]);
        return {
          id: account.id,
          email: account.email,
          name: account.name,
          emailVerified: account.emailVerified,
          disabled: account.disabled,
          createdAt: account.createdAt.toISOString(),
          factors: status.totp ? ['password', 'totp'] : ['password'],
          recoveryCodesLeft: status.recoveryCodesLeft,
          rememberedDevices: devices.map((d) => ({
            id: d.id,
            browser: describeBrowser(d.userAgent),
            ip: d.ip,
            lastUsedAt: d.lastUsedAt.toISOString(),
            expiresAt: d.expiresAt.toISOString(),
          })),
        };
      },
      { readOnly: true },
    );
    const text = [
      `${shown.email} (${shown.id})${shown.disabled ? ' DISABLED' : ''}`,
      `factors:            ${shown.factors.join(', ')}`,
      `recovery codes:     ${shown.recoveryCodesLeft} left`,
      `remembered devices: ${shown.rememberedDevices.length ? shown.rememberedDevices.map((d) => `${d.browser} until ${d.expiresAt}`).join('; ') : 'none'}`,
    ].join('\n');
    out.result(text, shown);
  },
};

export const userMfaReset: Command = {
  path: ['user', 'mfa', 'reset'],
  summary: "Remove a person's authenticator app, recovery codes and remembered devices (a lost phone)",
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
      const { account, removed, devices, sessions } = await c.accountAdmin.resetMfa(email);
      return { id: account.id, email: account.email, removed, devices, sessionsEnded: sessions };
    });
    out.result(
      `${result.removed ? `reset two-step verification for ${result.email}` : `${result.email} had no authenticator app`}; forgot ${result.devices} remembered device(s), ended ${result.sessionsEnded} session(s)`,
      result,
    );
  },
};
