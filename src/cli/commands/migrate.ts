import type { Command } from '../command.js';
import { prepareDatabase } from '../../db/prepare-database.js';

export const migrate: Command = {
  path: ['migrate'],
  summary: 'Apply pending database migrations (the server also does this at start)',
  usage: 'gatehouse migrate [--json]',
  options: {},
  async run(_values, config, out) {
    const { applied } = await prepareDatabase(config);
    out.result(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date', { store: config.store, applied });
  },
};
