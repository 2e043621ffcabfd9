import { type Command, required, table } from '../command.js';
import { withContainer } from '../with-container.js';

export const userAdd: Command = {
  path: ['user', 'add'],
  summary: 'Create a user account',
  usage: 'gatehouse user add --email E --password P [--name N] [--email-verified] [--json]',
  options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, 'email-verified': { type: 'boolean' } },
  async run(values, config, out) {
    const email = required(values, 'email');
    const password = required(values, 'password');
    const account = await withContainer(config, (c) => c.accounts.create({
      email, password, name: values.name as string | undefined, emailVerified: Boolean(values['email-verified']),
    }));
    out.result(`created user ${account.email} (${account.id})`, { id: account.id, email: account.email });
  },
};

export const userList: Command = {
  path: ['user', 'list'],
  summary: 'List user accounts',
  usage: 'gatehouse user list [--json]',
  options: {},
  async run(_values, config, out) {
    const users = await withContainer(config, (c) => c.accounts.list());
    out.result(table(users.map((u) => ({ ...u, disabled: u.disabled ? 'yes' : 'no' })), ['id', 'email', 'name', 'disabled', 'createdAt']), { users });
  },
};

export const userDisable: Command = {
  path: ['user', 'disable'],
  summary: 'Block a user: ends all their sessions, revokes all their grants and tokens, refuses sign-in',
  usage: 'gatehouse user disable --email E [--json]',
  options: { email: { type: 'string' } },
  async run(values, config, out) {
    const email = required(values, 'email');
    const result = await withContainer(config, (c) => c.accountAdmin.disable(email));
    out.result(
      `disabled ${result.account.email}: ended ${result.sessions} session(s), revoked ${result.grants} grant(s)`,
      { id: result.account.id, email: result.account.email, disabled: true, sessionsEnded: result.sessions, grantsRevoked: result.grants },
    );
  },
};

export const userEnable: Command = {
  path: ['user', 'enable'],
  summary: 'Allow a disabled user to sign in again',
  usage: 'gatehouse user enable --email E [--json]',
  options: { email: { type: 'string' } },
  async run(values, config, out) {
    const email = required(values, 'email');
    const account = await withContainer(config, (c) => c.accountAdmin.enable(email));
    out.result(`enabled ${account.email}`, { id: account.id, email: account.email, disabled: false });
  },
};
