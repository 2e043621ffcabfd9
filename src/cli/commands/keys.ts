import { type Command, table } from '../command.js';
import { withContainer } from '../with-container.js';
import { rotateKeys } from '../../keys/rotate-keys.js';

export const keysRotate: Command = {
  path: ['keys', 'rotate'],
  summary: 'Add new signing keys; the previous ones stay published until their tokens expire',
  usage:
    'gatehouse keys rotate [--json]\nRunning instances switch to the new keys within KEY_REFRESH_SECONDS (default 60); no restart needed. Audited as admin.keys.rotated.',
  options: {},
  async run(_values, config, out) {
    const kids = await withContainer(config, (c) => rotateKeys(c.keys, c.audit));
    out.result(`new signing keys: ${kids.join(', ')}`, { created: kids });
  },
};

export const keysList: Command = {
  path: ['keys', 'list'],
  summary: 'List signing and cookie keys (never their secrets)',
  usage: 'gatehouse keys list [--json]',
  options: {},
  async run(_values, config, out) {
    const keys = await withContainer(config, (c) => c.keys.list(), { readOnly: true });
    out.result(
      table(
        keys.map((k) => ({ ...k })),
        ['kid', 'use', 'alg', 'status', 'createdAt', 'publishedUntil'],
      ),
      { keys },
    );
  },
};
