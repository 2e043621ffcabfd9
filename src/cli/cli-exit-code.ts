import { errorCodeEntry } from '../kernel/error-codes.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/** The CLI's exit code for a failure: 2 for a usage mistake, 1 for every other (ours or a bug). */
export function cliExitCode(error: unknown): number {
  return error instanceof GatehouseError ? (errorCodeEntry(error.code).exit ?? 1) : 1;
}
