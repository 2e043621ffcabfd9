import { html, type SafeHtml } from './html.js';
import { pageScript, allowPageScript, type PageScript } from '../../src/http/page-scripts.js';
import type { Context } from 'koa';
import { t } from '../page/translate.js';

/**
 * The recovery codes, shown once: each gets the person in once when the phone is gone. "Copy" and
 * "Download" appear when recovery-codes.js runs (a page that shows codes names it: recoveryCodesScript).
 */
export function recoveryCodesList(codes: readonly string[]): SafeHtml {
  return html`<p class="lead">${t('recoveryCodes.lead')}</p>
<ul class="codes" data-testid="recovery-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
<div class="actions" data-codes-actions hidden>
<button type="button" class="secondary" data-codes-copy>${t('recoveryCodes.copy')}</button>
<button type="button" class="secondary" data-codes-download data-file="recovery-codes.txt">${t('recoveryCodes.download')}</button>
</div>`;
}

/** The script behind "Copy" and "Download", allowed in this response's CSP. */
export const recoveryCodesScript = (ctx: Context): PageScript => allowPageScript(ctx, pageScript('recovery-codes.js'));
