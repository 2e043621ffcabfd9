import { html, type SafeHtml } from './html.js';
import { t } from '../page/translate.js';

export interface TotpSetupView {
  readonly qr: SafeHtml;
  readonly secret: string;
  /** Where the "Verify" form posts. */
  readonly action: string;
  readonly error?: string;
  /** Extra hidden fields (the console's re-authentication proof). */
  readonly hidden?: SafeHtml;
}

/** Scan (or type) the secret, then prove the app works with one code. Nothing is saved before that. */
export function totpSetup({ qr, secret, action, error, hidden }: TotpSetupView): SafeHtml {
  return html`<p>${t('totp.scan')}</p>
<div class="qr-frame">${qr}</div>
<p class="muted">${t('totp.cantScan')}</p>
<p><code class="secret" data-testid="totp-secret">${secret}</code></p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="${action}" novalidate>
${hidden ?? ''}
<label for="code">${t('totp.code.label')}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required autofocus>
<div class="actions"><button type="submit">${t('totp.submit')}</button></div>
</form>`;
}
