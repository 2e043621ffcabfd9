import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { ResourceRow } from './resource-queries.js';

/*
 * How far an API is open to clients the operator did not register (`resource --dynamic-scopes`):
 * stored as the scopes named, space-delimited; empty means all of the API's.
 */

/** The ceiling as it holds now: the named scopes the API still has, or all of them when none is named. */
export function dynamicCeiling(row: Pick<ResourceRow, 'scopes' | 'dynamicScopes'>): string[] {
  const scopes = row.scopes.split(' ').filter(Boolean);
  const named = row.dynamicScopes.split(' ').filter(Boolean);
  return named.length ? scopes.filter((s) => named.includes(s)) : scopes;
}

/** A ceiling must name scopes of the API: a typo would otherwise open nothing, silently. */
export function checkDynamicScopes(ceiling: string, scopes: string): string {
  const named = [...new Set(ceiling.split(/\s+/).filter(Boolean))];
  const known = scopes.split(' ');
  const unknown = named.filter((s) => !known.includes(s));
  if (unknown.length)
    throw new GatehouseError(
      'ERR_RESOURCE_INVALID',
      `dynamic scopes ${unknown.join(' ')} are not scopes of this API (it has ${known.join(' ')})`,
    );
  return named.join(' ');
}
