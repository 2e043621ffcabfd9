import { type Command, required, table } from '../command.js';
import { withContainer } from '../with-container.js';
import { ATTRIBUTE_TYPES } from '../../directory/attribute-value.js';

export const attributeAdd: Command = {
  path: ['attribute', 'add'],
  summary: 'Declare an attribute people can have (then release it with `scope add --claims`)',
  usage: [
    `gatehouse attribute add --name N --type ${ATTRIBUTE_TYPES.join('|')} [--pattern REGEX] [--enum a,b,c]`,
    '                        [--self-editable] [--description TEXT] [--json]',
    'The name (lower-case letters, digits, _) is the claim name in tokens; a standard claim name is refused.',
    '--pattern: a regular expression every value (each item of a string list) must match as a whole.',
    '--enum: the only values allowed. --self-editable: people edit it on their account page.',
    'Values are set with `gatehouse user update --set N=VALUE`. Audited as admin.attribute.added.',
  ].join('\n'),
  options: {
    name: { type: 'string' },
    type: { type: 'string' },
    pattern: { type: 'string' },
    enum: { type: 'string' },
    'self-editable': { type: 'boolean' },
    description: { type: 'string' },
  },
  async run(values, config, out) {
    const name = required(values, 'name');
    const type = required(values, 'type');
    const allowed = typeof values.enum === 'string' ? values.enum.split(',') : undefined;
    const attribute = await withContainer(config, (c) =>
      c.attributes.add({
        name,
        type,
        pattern: values.pattern as string | undefined,
        allowed,
        selfEditable: values['self-editable'] === true,
        description: values.description as string | undefined,
      }),
    );
    out.result(`declared attribute ${attribute.name} (${attribute.type})`, attribute);
  },
};

export const attributeList: Command = {
  path: ['attribute', 'list'],
  summary: 'List declared attributes',
  usage: 'gatehouse attribute list [--json]',
  options: {},
  async run(_values, config, out) {
    const attributes = await withContainer(config, (c) => c.attributes.list(), { readOnly: true });
    const rows = attributes.map((a) => ({
      ...a,
      pattern: a.pattern ?? '',
      enum: a.allowed?.join(',') ?? '',
      selfEditable: a.selfEditable ? 'yes' : 'no',
    }));
    out.result(table(rows, ['name', 'type', 'pattern', 'enum', 'selfEditable', 'description']), { attributes });
  },
};

export const attributeRemove: Command = {
  path: ['attribute', 'remove'],
  summary: "Remove an attribute: every person's value and its place in every scope's claims",
  usage: 'gatehouse attribute remove --name N [--json]',
  options: { name: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    const removed = await withContainer(config, (c) => c.attributes.remove(name));
    out.result(
      `removed attribute ${name}: ${removed.values} value(s)${removed.scopes.length ? `, and from scope(s) ${removed.scopes.join(', ')}` : ''}`,
      { ...removed, removed: true },
    );
  },
};
