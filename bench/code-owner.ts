// Which package or source file a frame of JavaScript came from: frames in the bundle (dist/*.js)
// are traced back through its source maps. Shared by the summary of a `--cpu-prof` profile
// (bench/profile-summary.ts) and the thread profile (bench/thread-profile.ts).
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const maps = new Map<string, SourceMap | undefined>();
function sourceMapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    const path = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : undefined);
  }
  return maps.get(url);
}

/** The file a frame's code came from (line and column from 0): through the bundle's source map when it has one. */
function originalFile(url: string, line: number, column: number): string {
  if (!url.startsWith('file://') || !url.includes('/dist/')) return url;
  const entry = sourceMapOf(url)?.findEntry(line, column);
  return entry && 'originalSource' in entry && entry.originalSource ? entry.originalSource : url;
}

/**
 * The owner of a frame: a package's name for code under node_modules, `src/…` or `interactions/…`
 * for ours, `node:…` for Node's own modules, or the URL as it is.
 */
export function codeOwner(url: string, line: number, column: number): string {
  const key = originalFile(url, line, column).replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(key)?.[1];
  if (pkg) return pkg;
  if (key.includes('/src/generated/')) return 'src/generated (Prisma client)';
  return key.replace(/^.*?\/(dist\/)?(src|interactions|bench)\//, '$2/');
}
