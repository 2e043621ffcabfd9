import { GatehouseError } from '../kernel/gatehouse-error.js';

/** Long enough for "Read and change your notes and their attachments", short enough for a consent line. */
export const MAX_SCOPE_DESCRIPTION = 200;
/** An API's display name ("Notes API"). */
export const MAX_RESOURCE_NAME = 100;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The stored JSON object, read leniently: anything but string values is dropped. */
export function readScopeDescriptions(stored: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return {};
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  return Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).filter((entry): entry is [string, string] => {
      return typeof entry[1] === 'string' && entry[1] !== '';
    }),
  );
}

/** A display name as stored: trimmed, one line, at most MAX_RESOURCE_NAME characters (empty clears it). */
export function checkResourceName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length > MAX_RESOURCE_NAME || CONTROL.test(trimmed))
    throw new GatehouseError(
      'ERR_RESOURCE_INVALID',
      `name must be one line of at most ${MAX_RESOURCE_NAME} characters`,
    );
  return trimmed;
}

/**
 * `current` with `changes` applied (a description of "" removes that scope's), kept to `scopes`:
 * a description is only for a scope the API has, and goes when its scope goes. Returns the JSON to store.
 */
export function mergeScopeDescriptions(
  current: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string>>,
  scopes: readonly string[],
): string {
  const merged = new Map(Object.entries(current));
  for (const [scope, description] of Object.entries(changes)) {
    if (!scopes.includes(scope))
      throw new GatehouseError(
        'ERR_RESOURCE_INVALID',
        `scope description for "${scope}": the API has no such scope (it has ${scopes.join(', ')})`,
      );
    const text = description.trim();
    if (text.length > MAX_SCOPE_DESCRIPTION || CONTROL.test(text))
      throw new GatehouseError(
        'ERR_RESOURCE_INVALID',
        `scope description for "${scope}" must be one line of at most ${MAX_SCOPE_DESCRIPTION} characters`,
      );
    if (text) merged.set(scope, text);
    else merged.delete(scope);
  }
  const kept = Object.fromEntries(
    scopes.flatMap((scope) => {
      const text = merged.get(scope);
      return text ? [[scope, text] as const] : [];
    }),
  );
  return JSON.stringify(kept);
}
