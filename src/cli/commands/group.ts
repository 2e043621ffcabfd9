import { type Command, required, table } from '../command.js';
import { withContainer } from '../with-container.js';

export const groupAdd: Command = {
  path: ['group', 'add'],
  summary: 'Create a group (people join with `user update --add-group`)',
  usage: [
    'gatehouse group add --name G [--description TEXT] [--json]',
    'Groups are flat and permit nothing; the `groups` scope releases them as a claim. Audited as admin.group.added.',
  ].join('\n'),
  options: { name: { type: 'string' }, description: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    const group = await withContainer(config, (c) =>
      c.groups.add({ name, description: values.description as string | undefined }),
    );
    out.result(`created group ${group.name}`, group);
  },
};

export const groupList: Command = {
  path: ['group', 'list'],
  summary: 'List groups and how many people are in each',
  usage: 'gatehouse group list [--json]',
  options: {},
  async run(_values, config, out) {
    const groups = await withContainer(config, (c) => c.groups.list(), { readOnly: true });
    out.result(
      table(
        groups.map((g) => ({ ...g })),
        ['name', 'members', 'description'],
      ),
      { groups },
    );
  },
};

export const groupRemove: Command = {
  path: ['group', 'remove'],
  summary: 'Remove a group and every membership of it',
  usage: 'gatehouse group remove --name G [--json]',
  options: { name: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    const removed = await withContainer(config, (c) => c.groups.remove(name));
    out.result(`removed group ${name} (${removed.members} member(s))`, { ...removed, removed: true });
  },
};
