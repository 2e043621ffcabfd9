import type { Command } from '../command.js';

export const migrate: Command = {
  path: ['migrate'],
  summary: 'Apply pending database migrations (the server also does this at start)',
  usage: [
    'gatehouse migrate [--json]',
    'Also hashes any client secret still stored in the clear (clients registered by earlier releases).',
  ].join('\n'),
  options: {},
  async run(_values, config, out) {
    // Imported on use, not with the CLI (see withContainer).
    const { prepareDatabase } = await import('../../boot/prepare-database.js');
    const { systemClock } = await import('../../kernel/clock.js');
    const { applied, hashedSecrets } = await prepareDatabase(config, systemClock);
    const lines = [applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date'];
    if (hashedSecrets.length)
      lines.push(`hashed the secrets of ${hashedSecrets.length} client(s): ${hashedSecrets.join(', ')}`);
    out.result(lines.join('\n'), { store: config.store, applied, hashed_client_secrets: hashedSecrets });
  },
};
