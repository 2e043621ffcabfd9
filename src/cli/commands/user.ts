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
