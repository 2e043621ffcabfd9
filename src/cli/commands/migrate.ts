import type { Command } from '../command.js';

export const migrate: Command = {
  path: ['migrate'],
  summary: 'Apply pending database migrations (the server also does this at start)',
  usage: [
    'gatehouse migrate [--schema-only] [--json]',
    'Also hashes any client secret still stored in the clear (clients registered by earlier releases).',
    '--schema-only applies the migrations and nothing else: what `gatehouse serve` runs in a process of its own',
    'before it starts, so the schema engine is not kept in the server process.',
  ].join('\n'),
  options: { 'schema-only': { type: 'boolean' } },
  async run(values, config, out) {
    // Imported on use, not with the CLI (see withContainer).
    if (values['schema-only'] === true) {
      const { migrate: applyMigrations } = await import('../../db/migrate.js');
      const applied = await applyMigrations(config.databaseUrl);
      out.result(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date', {
        store: config.store,
        applied,
      });
      return;
    }
    const { prepareDatabase } = await import('../../boot/prepare-database.js');
    const { systemClock } = await import('../../kernel/clock.js');
    const { applied, hashedSecrets } = await prepareDatabase(config, systemClock, 'command');
    const lines = [applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date'];
    if (hashedSecrets.length)
      lines.push(`hashed the secrets of ${hashedSecrets.length} client(s): ${hashedSecrets.join(', ')}`);
    out.result(lines.join('\n'), { store: config.store, applied, hashed_client_secrets: hashedSecrets });
  },
};
