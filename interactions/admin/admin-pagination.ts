import { z } from 'zod';
import { html, type SafeHtml } from '../views/html.js';

/** Rows per console page: a screenful, and one indexed query at 10,000 people (bench/). */
export const ADMIN_PAGE_SIZE = 25;

/** A position in a list: the sort key of the last row shown (keyset paging), never an offset. */
const CURSOR = z.string().regex(/^[A-Za-z0-9_-]{1,512}$/);

/**
 * Keyset pagination for console lists. `after` reads the `after` query parameter back into the
 * position `keyOf` wrote (undefined for the first page or one that is not ours: the first page
 * again, never an error); `page` takes the rows a query returned with limit ADMIN_PAGE_SIZE + 1
 * and says whether another page follows. The position is only where a page starts, so it is plain
 * (base64url JSON), not signed: editing it only shows another page of the same list.
 */
export const adminPagination = {
  after<T>(query: Record<string, unknown>): T | undefined {
    const parsed = CURSOR.safeParse(query.after);
    if (!parsed.success) return undefined;
    try {
      return JSON.parse(Buffer.from(parsed.data, 'base64url').toString('utf8')) as T;
    } catch {
      return undefined;
    }
  },

  page<R>(rows: readonly R[], keyOf: (row: R) => unknown): { items: R[]; next?: string } {
    const items = rows.slice(0, ADMIN_PAGE_SIZE);
    const last = items.at(-1);
    if (rows.length <= ADMIN_PAGE_SIZE || last === undefined) return { items };
    return { items, next: Buffer.from(JSON.stringify(keyOf(last))).toString('base64url') };
  },

  /** "First page" / "Next page" links for `path` with the list's own query (a search) kept. */
  links(path: string, query: Record<string, string | undefined>, next: string | undefined, paged: boolean): SafeHtml {
    const href = (after?: string) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
      if (after) params.set('after', after);
      const search = params.toString();
      return search ? `${path}?${search}` : path;
    };
    if (!next && !paged) return html``;
    return html`<nav class="pager" aria-label="Pages">${paged ? html`<a href="${href()}">First page</a>` : ''}${
      next ? html`<a href="${href(next)}" rel="next">Next page</a>` : ''
    }</nav>`;
  },
};
