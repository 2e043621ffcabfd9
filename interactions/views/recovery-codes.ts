import { html, type SafeHtml } from './html.js';

/** The recovery codes, shown once: each gets the person in once when the phone is gone. */
export function recoveryCodesList(codes: readonly string[]): SafeHtml {
  return html`<p class="lead">Save these recovery codes somewhere safe, such as a password manager. Each one works once, if you lose your phone. They will not be shown again.</p>
<ul class="codes" data-testid="recovery-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>`;
}
