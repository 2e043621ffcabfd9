import { createHash } from 'node:crypto';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/**
 * A strong ETag (RFC 9110 §8.8.3) of one version of a resource: a hash of its id and version
 * (the row's updatedAt), so it says nothing about the row and changes with every write.
 */
export const entityTag = (id: string, version: Date | string | number): string =>
  `"${createHash('sha256')
    .update(`${id}\n${version instanceof Date ? version.toISOString() : String(version)}`)
    .digest('base64url')
    .slice(0, 27)}"`;

/** The entity tags of an If-Match header (RFC 9110 §13.1.1); `*` matches any current version. */
function tagsOf(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .filter(Boolean);
}

/**
 * The version a write was made against. Writes that change a resource in place need If-Match
 * (RFC 6585 §3: 428 without it), so two admins can never overwrite each other unknowingly; a tag
 * that is not the current one is 412 (RFC 9110 §13.1.1). `required: false` (actions such as
 * disable, where the outcome does not depend on what was read) checks it only when given.
 */
export function checkIfMatch(header: string | undefined, current: string, required: boolean): void {
  if (!header) {
    if (!required) return;
    throw new GatehouseError(
      'ERR_PRECONDITION_REQUIRED',
      'send If-Match with the ETag of the resource you read, so no other change is overwritten',
    );
  }
  const tags = tagsOf(header);
  if (tags.includes('*') || tags.includes(current)) return;
  throw new GatehouseError('ERR_PRECONDITION_FAILED', 'the resource changed since it was read: read it again');
}
