import { type Command, list, required, table, UsageError, type Values } from '../command.js';
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

/**
 * `--role admin|none`: the built-in administrator role (issue 19), which opens the admin console
 * (/admin). The first administrator can only be made here, on the server's shell.
 */
function adminRole(values: Values): 'admin' | 'none' | undefined {
  const role = values.role;
  if (role === undefined) return undefined;
  if (role !== 'admin' && role !== 'none') throw new UsageError(`--role takes admin or none, not "${String(role)}"`);
  return role;
}

export const userAdd: Command = {
  path: ['user', 'add'],
  summary: 'Create a user account',
  usage: [
    'gatehouse user add --email E [--password-stdin | --password P] [--name N] [--email-verified]',
    '                   [--role admin|none] [--json]',
    '',
    '  --password-stdin  read the password from the first line of standard input',
    '                    (printf \'%s\\n\' "$PASSWORD" | gatehouse user add --email E --password-stdin)',
    '  --password P      avoid: other users of this machine see it (ps) and it stays in shell history',
    '  With neither, on a terminal, the password is asked for twice and not echoed.',
    '  --role admin      make the account an administrator (the admin role: the admin console at /admin,',
    '                    which also asks for a second factor); the first administrator is made this way.',
    '                    Audited as admin.user.directory_changed.',
  ].join('\n'),
  options: {
    email: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    password: { type: 'string' },
    name: { type: 'string' },
    'email-verified': { type: 'boolean' },
    role: { type: 'string' },
  },
  async run(values, config, out, stdin) {
    const email = required(values, 'email');
    const role = adminRole(values);
    const password = await newPassword(values, stdin);
    // With mail on, an unverified address gets its confirmation link (the server sends it).
    const { account, verificationSent } = await withContainer(config, async (c) => {
      const created = await c.accountAdmin.create({
        email,
        password,
        name: values.name as string | undefined,
        emailVerified: Boolean(values['email-verified']),
      });
      if (role === 'admin') await c.personEntries.update(created.account.email, { addRoles: ['admin'] });
      return created;
    });
    out.result(
      `created user ${account.email} (${account.id})${role === 'admin' ? ' as an administrator' : ''}${verificationSent ? '; a confirmation link is queued for that address' : ''}`,
      {
        id: account.id,
        email: account.email,
        ...(role === 'admin' ? { roles: ['admin'] } : {}),
        ...(verificationSent ? { verificationSent } : {}),
      },
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

/** `--add-role a --add-role b,c` → [a, b, c]. */
const names = (values: Values, name: string) =>
  list(values, name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);

/** `--set NAME=VALUE` (repeatable) → { NAME: VALUE }; the value may hold `=` and commas. */
function assignments(values: Values): Record<string, string> {
  const set: Record<string, string> = {};
  for (const item of list(values, 'set')) {
    const at = item.indexOf('=');
    if (at < 1) throw new UsageError(`--set takes NAME=VALUE, not "${item}"`);
    const name = item.slice(0, at).trim();
    if (name in set) throw new UsageError(`--set ${name} is given twice`);
    set[name] = item.slice(at + 1);
  }
  return set;
}

export const userUpdate: Command = {
  path: ['user', 'update'],
  summary: "Change a user's name, email, roles, groups, attributes or standard profile claims",
  usage: [
    'gatehouse user update --email E [--name N] [--new-email E2] [--email-verified | --no-email-verified]',
    '                      [--add-role R] [--remove-role R] [--add-group G] [--remove-group G]',
    '                      [--set NAME=VALUE] [--unset NAME] [--role admin|none] [--json]',
    'A new email is unverified unless --email-verified is given too. Audited as admin.user.updated.',
    'Roles, groups and --set/--unset are applied together or not at all (each flag may repeat; roles and',
    'groups may also be comma-separated). Audited as admin.user.directory_changed, with names, not values.',
    '--set takes a declared attribute (gatehouse attribute list; a string_list comma-separated or as a JSON',
    'array) or a standard claim: given_name family_name middle_name nickname preferred_username gender',
    'profile picture website (https URLs), birthdate (YYYY or YYYY-MM-DD), zoneinfo (an IANA zone such as',
    'Europe/Paris), locale (BCP 47, such as en-US), phone_number (E.164, such as +33123456789; a new number',
    'is unverified unless phone_number_verified=true is set too), phone_number_verified (true|false).',
    "A role change takes effect at the person's next token or refresh.",
    '--role admin gives the administrator role (the admin console at /admin), --role none takes it away',
    '(at once: the console checks it on every request); the same as --add-role admin / --remove-role admin.',
  ].join('\n'),
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    'new-email': { type: 'string' },
    'email-verified': { type: 'boolean' },
    'no-email-verified': { type: 'boolean' },
    'add-role': { type: 'string', multiple: true },
    'remove-role': { type: 'string', multiple: true },
    'add-group': { type: 'string', multiple: true },
    'remove-group': { type: 'string', multiple: true },
    set: { type: 'string', multiple: true },
    unset: { type: 'string', multiple: true },
    role: { type: 'string' },
  },
  async run(values, config, out) {
    const email = required(values, 'email');
    const role = adminRole(values);
    if (values['email-verified'] && values['no-email-verified'])
      throw new UsageError('give --email-verified or --no-email-verified, not both');
    const emailVerified = values['email-verified'] ? true : values['no-email-verified'] ? false : undefined;
    const changes = {
      name: values.name as string | undefined,
      email: values['new-email'] as string | undefined,
      emailVerified,
    };
    const directory = {
      addRoles: [...names(values, 'add-role'), ...(role === 'admin' ? ['admin'] : [])],
      removeRoles: [...names(values, 'remove-role'), ...(role === 'none' ? ['admin'] : [])],
      addGroups: names(values, 'add-group'),
      removeGroups: names(values, 'remove-group'),
      set: assignments(values),
      unset: names(values, 'unset'),
    };
    const accountChange = Object.values(changes).some((value) => value !== undefined);
    const directoryChange =
      Object.values(directory).some((value) => Array.isArray(value) && value.length > 0) ||
      Object.keys(directory.set).length > 0;
    if (!accountChange && !directoryChange)
      throw new UsageError(
        'nothing to change: give --name, --new-email, --email-verified, --add-role, --remove-role, --role, --add-group, --remove-group, --set or --unset',
      );
    const result = await withContainer(config, async (c) => {
      // The directory first, while the account still has the email it was named by.
      const entry = directoryChange ? await c.personEntries.update(email, directory) : undefined;
      const account = accountChange ? await c.accountAdmin.update(email, changes) : undefined;
      const shown = account ?? (entry as NonNullable<typeof entry>).account;
      if (!entry) return shown;
      const { claims, roles, groups, attributes } = entry;
      return { ...shown, claims, roles, groups, attributes };
    });
    out.result(`updated ${result.email}`, result);
  },
};

export const userDelete: Command = {
  path: ['user', 'delete'],
  summary: 'Delete a user and their personal data; ends their sessions and revokes every grant and token',
  usage: [
    'gatehouse user delete --email E [--json]',
    'Removes the account, its authenticator app, recovery codes, remembered devices, activity and identities at other providers;',
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
