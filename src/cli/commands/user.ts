import { type Command, required, table, UsageError, type Values } from '../command.js';
import type { CliStdin } from '../cli-stdin.js';
import { withContainer } from '../with-container.js';

/**
 * The new password, from the first line of stdin, a hidden prompt on a terminal, or (last resort)
 * the command line, where other users see it in `ps` and it stays in shell history (ASVS 4.0 §2.7:
 * secrets are not exposed in transit to the tool).
 */
async function newPassword(values: Values, stdin: CliStdin): Promise<string> {
  const fromStdin = values['password-stdin'] === true;
  if (fromStdin && values.password !== undefined)
    throw new UsageError('give the password one way: --password-stdin or --password, not both');
  let password: string;
  if (fromStdin) {
    password = await stdin.readLine();
  } else if (typeof values.password === 'string') {
    password = values.password;
  } else if (stdin.isTTY) {
    password = await stdin.readHidden('Password: ');
    if ((await stdin.readHidden('Repeat password: ')) !== password)
      throw new UsageError('the two passwords differ: nothing was created');
  } else {
    throw new UsageError('no password: pipe it in with --password-stdin, or run on a terminal to be asked for it');
  }
  if (password === '') throw new UsageError('the password is empty');
  return password;
}

export const userAdd: Command = {
  path: ['user', 'add'],
  summary: 'Create a user account',
  usage: [
    'gatehouse user add --email E [--password-stdin | --password P] [--name N] [--email-verified] [--json]',
    '',
    '  --password-stdin  read the password from the first line of standard input',
    '                    (printf \'%s\\n\' "$PASSWORD" | gatehouse user add --email E --password-stdin)',
    '  --password P      avoid: other users of this machine see it (ps) and it stays in shell history',
    '  With neither, on a terminal, the password is asked for twice and not echoed.',
  ].join('\n'),
  options: {
    email: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    password: { type: 'string' },
    name: { type: 'string' },
    'email-verified': { type: 'boolean' },
  },
  async run(values, config, out, stdin) {
    const email = required(values, 'email');
    const password = await newPassword(values, stdin);
    // With mail on, an unverified address gets its confirmation link (the server sends it).
    const { account, verificationSent } = await withContainer(config, (c) =>
      c.accountAdmin.create({
        email,
        password,
        name: values.name as string | undefined,
        emailVerified: Boolean(values['email-verified']),
      }),
    );
    out.result(
      `created user ${account.email} (${account.id})${verificationSent ? '; a confirmation link is queued for that address' : ''}`,
      { id: account.id, email: account.email, ...(verificationSent ? { verificationSent } : {}) },
    );
  },
};

export const userList: Command = {
  path: ['user', 'list'],
  summary: 'List user accounts',
  usage: 'gatehouse user list [--json]',
  options: {},
  async run(_values, config, out) {
    const users = await withContainer(config, (c) => c.accounts.list(), { readOnly: true });
    out.result(
      table(
        users.map((u) => ({ ...u, disabled: u.disabled ? 'yes' : 'no' })),
        ['id', 'email', 'name', 'disabled', 'createdAt'],
      ),
      { users },
    );
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
      {
        id: result.account.id,
        email: result.account.email,
        disabled: true,
        sessionsEnded: result.sessions,
        grantsRevoked: result.grants,
      },
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

export const userSetPassword: Command = {
  path: ['user', 'set-password'],
  summary: "Set a user's password; ends all their sessions and refresh tokens",
  usage: [
    'gatehouse user set-password --email E [--password-stdin | --password P] [--json]',
    '',
    '  --password-stdin  read the password from the first line of standard input',
    '                    (printf \'%s\\n\' "$PASSWORD" | gatehouse user set-password --email E --password-stdin)',
    '  --password P      avoid: other users of this machine see it (ps) and it stays in shell history',
    '  With neither, on a terminal, the password is asked for twice and not echoed.',
    'The password policy applies as at sign-up. Audited as admin.user.password_set.',
  ].join('\n'),
  options: { email: { type: 'string' }, 'password-stdin': { type: 'boolean' }, password: { type: 'string' } },
  async run(values, config, out, stdin) {
    const email = required(values, 'email');
    const password = await newPassword(values, stdin);
    const result = await withContainer(config, (c) => c.accountAdmin.setPassword(email, password));
    out.result(`set the password of ${result.account.email}; ended ${result.sessions} session(s)`, {
      id: result.account.id,
      email: result.account.email,
      sessionsEnded: result.sessions,
    });
  },
};

export const userUpdate: Command = {
  path: ['user', 'update'],
  summary: "Change a user's name, email or email-verified flag",
  usage: [
    'gatehouse user update --email E [--name N] [--new-email E2] [--email-verified | --no-email-verified] [--json]',
    'A new email is unverified unless --email-verified is given too. Audited as admin.user.updated.',
  ].join('\n'),
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    'new-email': { type: 'string' },
    'email-verified': { type: 'boolean' },
    'no-email-verified': { type: 'boolean' },
  },
  async run(values, config, out) {
    const email = required(values, 'email');
    if (values['email-verified'] && values['no-email-verified'])
      throw new UsageError('give --email-verified or --no-email-verified, not both');
    const emailVerified = values['email-verified'] ? true : values['no-email-verified'] ? false : undefined;
    const changes = {
      name: values.name as string | undefined,
      email: values['new-email'] as string | undefined,
      emailVerified,
    };
    if (Object.values(changes).every((value) => value === undefined))
      throw new UsageError('nothing to change: give --name, --new-email or --email-verified');
    const account = await withContainer(config, (c) => c.accountAdmin.update(email, changes));
    out.result(`updated ${account.email}`, account);
  },
};

export const userDelete: Command = {
  path: ['user', 'delete'],
  summary: 'Delete a user and their personal data; ends their sessions and revokes every grant and token',
  usage: [
    'gatehouse user delete --email E [--json]',
    'Removes the account, its authenticator app, recovery codes, remembered devices and activity;',
    'audit events keep the account id but lose email, address and browser. Cannot be undone.',
  ].join('\n'),
  options: { email: { type: 'string' } },
  async run(values, config, out) {
    const email = required(values, 'email');
    const result = await withContainer(config, (c) => c.accountAdmin.remove(email));
    out.result(
      `deleted ${email} (${result.id}): ended ${result.sessions} session(s), revoked ${result.grants} grant(s)`,
      { id: result.id, deleted: true, sessionsEnded: result.sessions, grantsRevoked: result.grants },
    );
  },
};
