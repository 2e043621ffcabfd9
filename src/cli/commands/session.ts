import { type Command, table, UsageError } from '../command.js';
import { withContainer } from '../with-container.js';

export const sessionList: Command = {
  path: ['session', 'list'],
  summary: "List a user's active sessions",
  usage: 'gatehouse session list --email E [--json]',
  options: { email: { type: 'string' } },
  async run(values, config, out) {
    if (typeof values.email !== 'string') throw new UsageError('--email is required');
    const email = values.email;
    const sessions = await withContainer(
      config,
      async (c) => {
        const account = await c.accounts.requireByEmail(email);
        return c.sessions.listSessions(account.id);
      },
      { readOnly: true },
    );
    out.result(
      table(
        sessions.map((s) => ({ ...s, id: s.uid })),
        ['id', 'browser', 'ip', 'signedInAt', 'lastSeenAt', 'expiresAt'],
      ),
      { sessions },
    );
  },
};

export const sessionRevoke: Command = {
  path: ['session', 'revoke'],
  summary: 'End one session (--id) or every session of a user (--email)',
  usage:
    'gatehouse session revoke --id=ID | --email E [--json]\nWrite --id=ID with an equals sign: session ids may begin with a dash.\nEnding a session makes the tokens issued in it inactive; offline_access refresh tokens survive.',
  options: { id: { type: 'string' }, email: { type: 'string' } },
  async run(values, config, out) {
    const id = values.id as string | undefined;
    const email = values.email as string | undefined;
    if (Boolean(id) === Boolean(email)) throw new UsageError('give exactly one of --id or --email');
    const revoked = await withContainer(config, async (c) => {
      if (email) {
        const account = await c.accounts.requireByEmail(email);
        return c.sessions.revokeSessions(account.id, { by: 'admin' });
      }
      return c.sessions.revokeSessionByUid(id as string, { by: 'admin' });
    });
    out.result(`ended ${revoked} session(s)`, { revoked });
  },
};
