import { type Command, UsageError, positiveInt } from '../command.js';
import { withContainer } from '../with-container.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "3600", "90m", "12h", "7d" → seconds. */
function duration(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)([smhd]?)$/.exec(String(value));
  if (!match)
    throw new UsageError('--expires-in must be a number of seconds, or a number with s, m, h or d (such as 7d)');
  return Number(match[1]) * (UNITS[match[2] || 's'] as number);
}

export const registrationTokenCreate: Command = {
  path: ['registration', 'token', 'create'],
  summary: 'Make an initial access token that lets a client register itself (CLIENT_REGISTRATION=token)',
  usage: [
    'gatehouse registration token create [--expires-in 1d] [--max-uses N] [--json]',
    'Prints the token once; give it to whoever sets up the client, which sends it as',
    '`Authorization: Bearer <token>` to the registration endpoint (RFC 7591 §3). --expires-in takes',
    'seconds or 30m, 12h, 7d (default 1d, at most 365d); --max-uses caps how many clients it registers',
    '(counted atomically; unlimited until it expires when absent). Clients registered with it are',
    'third-party and public or private_key_jwt, like any self-registered client. Audited as',
    'admin.registration_token.created (without the token).',
  ].join('\n'),
  options: { 'expires-in': { type: 'string' }, 'max-uses': { type: 'string' } },
  async run(values, config, out) {
    const expiresInSeconds = duration(values['expires-in']);
    const maxUses = values['max-uses'] === undefined ? undefined : positiveInt(values, 'max-uses', 1);
    const created = await withContainer(config, (c) => c.initialAccessTokens.create({ expiresInSeconds, maxUses }));
    out.result(
      `${created.token}\n(expires ${created.expiresAt}${created.maxUses ? `, registers at most ${created.maxUses} clients` : ''})`,
      created,
    );
  },
};
