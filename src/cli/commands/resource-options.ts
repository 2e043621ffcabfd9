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

/**
 * `--scope-description read="Read your notes"` (repeatable) as scope → description, or undefined
 * when not given. An empty description (`write=`) removes that scope's on update.
 */
export function scopeDescriptionsOf(values: Values): Record<string, string> | undefined {
  const given = values['scope-description'];
  if (given === undefined) return undefined;
  const entries = (Array.isArray(given) ? given : [given]).map((entry) => {
    const text = String(entry);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--scope-description must be SCOPE=DESCRIPTION, got "${text}"`);
    return [text.slice(0, eq).trim(), text.slice(eq + 1)] as const;
  });
  return Object.fromEntries(entries);
}
