import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config/load-config.js';
import type { CliStdin } from './cli-stdin.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/** A usage mistake: exit code 2, message and the command's help. */
export class UsageError extends GatehouseError<'ERR_USAGE'> {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Output {
  /** Prints a result: `text` for people, `json` (exactly one object) with --json. */
  result(text: string, json: object): void;
}

export interface Command {
  readonly path: readonly string[];
  readonly summary: string;
  readonly usage: string;
  readonly options: OptionSpec;
  run(values: Values, config: Config, out: Output, stdin: CliStdin): Promise<void>;
}

export function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function list(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : [];
}

export function positiveInt(values: Values, name: string, fallback: number): number {
  const value = values[name];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number`);
  return n;
}

/** Renders rows as an aligned text table. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((c) => String(row[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] as string).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}
