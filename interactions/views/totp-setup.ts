import { html, type SafeHtml } from './html.js';

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
  return html`<p>Open your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…) and scan this code.</p>
<div class="qr-frame">${qr}</div>
<p class="muted">Can't scan it? Enter this key in the app instead:</p>
<p><code class="secret" data-testid="totp-secret">${secret}</code></p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="${action}" novalidate>
${hidden ?? ''}
<label for="code">Authentication code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required autofocus>
<div class="actions"><button type="submit">Verify</button></div>
</form>`;
}
