import { html, type SafeHtml } from './html.js';
import type { Context } from 'koa';
import { formatDate } from '../page/translate.js';
import { allowPageScript, pageScript, type PageScript } from '../../src/http/page-scripts.js';

/** The UTC text: the fields local-time.js shows, in UTC, the zone named ("UTC") in every language. */
const UTC_TEXT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
};

/**
 * A moment as the server knows it: `<time datetime>` (the HTML `time` element's machine-readable
 * value, an ISO 8601 instant) around its UTC text, written the page's language's way with "UTC"
 * named. A page that runs local-time.js shows it in the browser's own time zone instead, the zone
 * named; without script the UTC text stays, which is never wrong.
 */
export function utcTime(at: Date | string | null | undefined, missing = '—'): SafeHtml | string {
  if (at === null || at === undefined) return missing;
  const moment = typeof at === 'string' ? new Date(at) : at;
  return html`<time datetime="${moment.toISOString()}">${formatDate(moment, UTC_TEXT)}</time>`;
}

/** The script that shows each time in the browser's zone, allowed in this response's CSP. */
export const localTimeScript = (ctx: Context): PageScript => allowPageScript(ctx, pageScript('local-time.js'));
