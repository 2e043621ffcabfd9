import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { bundleOptions } from '../../scripts/bundle-options.js';

// Parts a server loads at their first use, not at start (docs/benchmarks.md, "Memory"): one
// static import of any of them from the start-up code would put them back in every server's
// memory, several MB each, and nothing else would notice.
const LOADED_AT_FIRST_USE = [
  'node_modules/@simplewebauthn/server/',
  'node_modules/nodemailer/',
  'node_modules/@asteasolutions/zod-to-openapi/',
  'src/admin-api/admin-api.ts',
  'src/admin-api/openapi-document.ts',
];
// Where `gatehouse serve` starts: its command, the composition root and the server.
const START_UP = ['src/cli/commands/serve.ts', 'src/boot/container.ts', 'src/boot/server.ts'];

let outputs: Metafile['outputs'];

beforeAll(async () => {
  const root = new URL('../../', import.meta.url).pathname;
  const result = await build({
    ...bundleOptions(root),
    outdir: join(tmpdir(), 'gatehouse-start-up-imports'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  outputs = result.metafile.outputs;
}, 60_000);

/** Every module in the chunks that `from` loads before it runs: followed through static imports only. */
function loadedWith(from: readonly string[]): string[] {
  const chunks = new Set<string>();
  const visit = (name: string) => {
    if (chunks.has(name)) return;
    chunks.add(name);
    for (const imported of outputs[name]?.imports ?? [])
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  for (const [name, output] of Object.entries(outputs))
    if (Object.keys(output.inputs).some((input) => from.includes(input))) visit(name);
  return [...chunks].flatMap((name) => Object.keys(outputs[name]?.inputs ?? {}));
}

const firstUseParts = (modules: readonly string[]) =>
  LOADED_AT_FIRST_USE.filter((part) => modules.some((module) => module.includes(part)));

it('a started server has loaded none of the parts that wait for their first use', () => {
  expect(firstUseParts(loadedWith(START_UP))).toEqual([]);
});

it('each of those parts is in the bundle, so the check above looks at real names', () => {
  const bundled = Object.values(outputs).flatMap((output) => Object.keys(output.inputs));
  expect(firstUseParts(bundled)).toEqual(LOADED_AT_FIRST_USE);
});
