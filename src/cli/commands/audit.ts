import { type Command, positiveInt, table } from '../command.js';
import { withContainer } from '../with-container.js';
import { normalizeEmail } from '../../kernel/normalize-email.js';

export const audit: Command = {
  path: ['audit'],
  summary: 'Show recent security events (sign-ins, throttling, logouts, revocations, admin actions)',
  usage:
    'gatehouse audit [--email E] [--limit N] [--json]\nNewest first; --limit defaults to 50. Repeated throttling within 15 minutes is one row: count says how many, lastAt when the last was.',
  options: { email: { type: 'string' }, limit: { type: 'string' } },
  async run(values, config, out) {
    const limit = positiveInt(values, 'limit', 50);
    const email = typeof values.email === 'string' ? normalizeEmail(values.email) : undefined;
    const events = await withContainer(
      config,
      async (c) => {
        const account = email ? await c.accounts.findByEmail(email) : undefined;
        return c.audit.list({ email, accountId: account?.id, limit });
      },
      { readOnly: true },
    );
    out.result(
      table(
        events.map((e) => ({ ...e })),
        ['at', 'lastAt', 'count', 'type', 'outcome', 'reason', 'email', 'clientId', 'ip'],
      ),
      { events },
    );
  },
};
