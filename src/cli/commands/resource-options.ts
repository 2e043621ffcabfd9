import { UsageError, type Values } from '../command.js';

/** `--NAME on|off`, or undefined when not given. */
export function onOff(values: Values, name: string): boolean | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError(`--${name} must be on or off`);
}

/** `--token-claims roles,groups` as a list (empty for ""), or undefined when not given. */
export function tokenClaimsOf(values: Values): string[] | undefined {
  const value = values['token-claims'];
  if (typeof value !== 'string') return undefined;
  return value
    .split(',')
    .map((claim) => claim.trim())
    .filter(Boolean);
}
