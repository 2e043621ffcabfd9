import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/** A page is 50 items unless asked otherwise, never more than 200 (one query, one answer's size). */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const invalid = () =>
  new GatehouseError('ERR_CURSOR_INVALID', 'the cursor is not one this API gave for this list and these filters');

/**
 * Opaque, tamper-evident cursors: the position (whatever the list needs to resume) and the list's
 * name and filters, sealed with an HMAC under a key derived from the KEK (HKDF, RFC 5869), so a
 * client can neither forge a position nor carry a cursor over to another query. They hold no
 * secret (only where the last page ended), so they are signed, not encrypted.
 */
export function createPageCursors(kek: Buffer) {
  const key = Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), 'gatehouse admin-api page cursor', 32));
  const mac = (data: string) => createHmac('sha256', key).update(data).digest();

  return {
    seal(scope: string, position: unknown): string {
      const data = Buffer.from(JSON.stringify({ s: scope, p: position })).toString('base64url');
      return `${data}.${mac(data).toString('base64url')}`;
    },

    /** The position sealed for this same `scope` (list and filters), or ERR_CURSOR_INVALID. */
    open<T>(scope: string, cursor: string): T {
      const [data, signature, extra] = cursor.split('.');
      if (!data || !signature || extra !== undefined) throw invalid();
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(data);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      const sealed = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as { s?: unknown; p?: T };
      if (sealed.s !== scope) throw invalid();
      return sealed.p as T;
    },
  };
}

export type PageCursors = ReturnType<typeof createPageCursors>;
