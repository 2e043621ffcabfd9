/**
 * Where the next page of a list starts: the last row shown, by the time the list is ordered on
 * and its id (a total order, so keyset paging neither skips nor repeats a row). Not sealed: it
 * only says where to resume what the administrator may read anyway; a bad one is ignored.
 */
export const positionOf = (at: string, id: string): string => Buffer.from(`${at} ${id}`).toString('base64url');

export function readPosition(value: unknown): { at: Date; id: string } | undefined {
  if (typeof value !== 'string' || value.length > 300) return undefined;
  const [at, id, extra] = Buffer.from(value, 'base64url').toString().split(' ');
  if (!at || !id || extra !== undefined || Number.isNaN(Date.parse(at))) return undefined;
  return { at: new Date(at), id };
}
