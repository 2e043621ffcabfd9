// Writes a generated block into docs/benchmarks.md between its markers (appended when it has none).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writeBetweenMarkers(marker: string, generated: string): void {
  const docPath = new URL('../docs/benchmarks.md', import.meta.url);
  const current = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
  const marked = new RegExp(`<!-- ${marker}:start[^]*?<!-- ${marker}:end -->`);
  writeFileSync(
    docPath,
    marked.test(current) ? current.replace(marked, () => generated) : `${current.trimEnd()}\n\n${generated}\n`,
  );
}
