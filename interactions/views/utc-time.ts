import { html, type SafeHtml } from './html.js';
import type { Context } from 'koa';
import { allowPageScript, pageScript, type PageScript } from '../../src/http/page-scripts.js';

/**
 * A moment as the server knows it: `<time datetime>` (the HTML `time` element's machine-readable
 * value, an ISO 8601 instant) around its UTC text, "UTC" written out. A page that runs
 * local-time.js shows it in the browser's own time zone instead, the zone named; without script
 * the UTC text stays, which is never wrong.
 */
export function utcTime(at: Date | string | null | undefined, missing = '—'): SafeHtml | string {
  if (at === null || at === undefined) return missing;
  const moment = typeof at === 'string' ? new Date(at) : at;
  return html`<time datetime="${moment.toISOString()}">${moment.toUTCString().replace(' GMT', ' UTC')}</time>`;
}

/** The script that shows each time in the browser's zone, allowed in this response's CSP. */
export const localTimeScript = (ctx: Context): PageScript => allowPageScript(ctx, pageScript('local-time.js'));
