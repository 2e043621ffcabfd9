import { ESLint } from 'eslint';
import { measure } from '../../scripts/import-graph.js';

// The code stands on floors (scripts/floors.js): the logger, clock and errors at the bottom, then
// config, storage, the domain folders, the protocol and the UI, and the composition root on top.

it('no import climbs to a higher floor, and no two folders reach each other', () => {
  const { upward, cycles } = measure();
  expect(upward.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  expect(cycles).toEqual([]);
});

describe('the lint rules of the floors', () => {
  const eslint = new ESLint();
  const restricted = async (filePath: string, source: string) =>
    (await eslint.lintText(source, { filePath }))
      .flatMap((result) => result.messages)
      .filter((message) => message.ruleId === 'no-restricted-imports')
      .map((message) => message.message);

  it('refuse a domain file that imports the protocol above it, and say where to look', async () => {
    const messages = await restricted(
      'src/accounts/upward-example.ts',
      "import { createProviderHost } from '../oidc/provider-host.js';\nexport const x = createProviderHost;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('scripts/floors.js');
  });

  it('refuse the UI layer anywhere but the composition root', async () => {
    expect(
      await restricted(
        'src/oidc/upward-example.ts',
        "import { screens } from '../../interactions/screens.js';\nexport const x = screens;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restricted(
        'src/boot/example.ts',
        "import { screens } from '../../interactions/screens.js';\nexport const x = screens;\n",
      ),
    ).toEqual([]);
  });

  it('let a file import its own floor and the floors below', async () => {
    expect(
      await restricted(
        'src/oidc/example.ts',
        "import { createDatabase } from '../db/create-prisma.js';\nimport { GatehouseError } from '../kernel/gatehouse-error.js';\nexport const x = [createDatabase, GatehouseError];\n",
      ),
    ).toEqual([]);
  });
});
