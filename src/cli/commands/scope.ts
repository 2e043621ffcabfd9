import { type Command, required, table } from '../command.js';
import { withContainer } from '../with-container.js';

export const scopeAdd: Command = {
  path: ['scope', 'add'],
  summary: 'Create a custom OpenID scope that releases claims (declared attributes, standard claims, roles, groups)',
  usage: [
    'gatehouse scope add --name S --claims c1,c2 [--description TEXT] [--json]',
    'Example: gatehouse scope add --name hr --claims department,employee_id',
    'The name may not be a standard scope (openid, profile, email, phone, address, offline_access),',
    'roles or groups (built in), nor a scope of a registered API. Audited as admin.scope.added.',
  ].join('\n'),
  options: { name: { type: 'string' }, claims: { type: 'string' }, description: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    const claims = required(values, 'claims').split(',');
    const scope = await withContainer(config, (c) =>
      c.claimScopes.add({ name, claims, description: values.description as string | undefined }),
    );
    out.result(`created scope ${scope.name}: ${scope.claims.join(', ')}`, scope);
  },
};

export const scopeList: Command = {
  path: ['scope', 'list'],
  summary: 'List custom scopes and the claims each releases',
  usage: 'gatehouse scope list [--json]',
  options: {},
  async run(_values, config, out) {
    const scopes = await withContainer(config, (c) => c.claimScopes.list(), { readOnly: true });
    const rows = scopes.map((s) => ({ ...s, claims: s.claims.join(',') }));
    out.result(table(rows, ['name', 'claims', 'description']), { scopes });
  },
};

export const scopeRemove: Command = {
  path: ['scope', 'remove'],
  summary: 'Remove a custom scope: apps asking for it get its claims no more',
  usage: 'gatehouse scope remove --name S [--json]',
  options: { name: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    await withContainer(config, (c) => c.claimScopes.remove(name));
    out.result(`removed scope ${name}`, { name, removed: true });
  },
};
