import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setByOperator } from './set-by-operator.js';

/** V8's `gc(options)`: `{ type: 'major', execution: 'sync', flavor: 'last-resort' }` and the like. */
export type Gc = (options: object) => void;

/**
 * V8's `gc()`, which it adds only to contexts made while `--expose-gc` is set: the flag is set for
 * one throwaway context (as jest's leak detector does) and then left as the operator had it, so
 * the process's own global never has a `gc`.
 */
export function exposedGc(): Gc {
  const exposedByOperator = setByOperator(/^--expose[-_]gc$/);
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as Gc;
  } finally {
    if (!exposedByOperator) setFlagsFromString('--no-expose-gc');
  }
}
