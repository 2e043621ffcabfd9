import { GatehouseError } from '../kernel/gatehouse-error.js';

/**
 * A native addon (better-sqlite3) that this Node.js cannot load: most often one compiled by
 * `npm install` under another Node (20, say) and run under 22, whose ABI (NODE_MODULE_VERSION)
 * differs. npm then answers "up to date" to a new `npm install`, so the message must name the
 * cause and the fix (`npm rebuild`), never suggest that the disk or the volume is at fault.
 */
export class NativeModuleMismatchError extends GatehouseError<'ERR_NATIVE_MODULE_MISMATCH'> {
  constructor(message: string, cause: unknown) {
    super('ERR_NATIVE_MODULE_MISMATCH', message, { cause });
  }
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The first error in `error`'s cause chain that is Node's failure to load a native addon. */
function dlopenFailure(error: unknown, depth = 0): ErrorLike | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined;
  const e = error as ErrorLike;
  // Node gives every failed addon load this code (lib/internal/modules/cjs/loader.js, process.dlopen).
  if (e.code === 'ERR_DLOPEN_FAILED') return e;
  return dlopenFailure(e.cause, depth + 1);
}

/**
 * `error` as a NativeModuleMismatchError when it (or what it wraps) is a native addon that failed
 * to load; otherwise undefined. Node reports the ABI numbers only on the first attempt in a
 * process ("compiled against a different Node.js version using NODE_MODULE_VERSION 127. This
 * version of Node.js requires NODE_MODULE_VERSION 115"); later attempts say "Module did not
 * self-register". Both mean the same thing, and `npm rebuild` fixes both.
 */
export function asNativeModuleMismatch(error: unknown, node = process.version): NativeModuleMismatchError | undefined {
  const failure = dlopenFailure(error);
  if (!failure) return undefined;
  const text = typeof failure.message === 'string' ? failure.message : '';
  const addon = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(text)?.[1] ?? 'a native module';
  const abi =
    /using\s+NODE_MODULE_VERSION (\d+)\.\s+This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(text);
  const built = abi
    ? `was built for another Node.js (NODE_MODULE_VERSION ${abi[1]}; Node.js ${node} needs ${abi[2]})`
    : `was built for another Node.js than ${node} (it cannot be loaded)`;
  return new NativeModuleMismatchError(
    `${addon} ${built}: run \`npm rebuild\` with Node.js ${node} first on PATH (or delete node_modules and run \`npm install\` again)`,
    error,
  );
}
