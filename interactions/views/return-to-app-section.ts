import { html, type SafeHtml } from './html.js';
import type { ReturnToApp } from '../sign-in/return-to-app.js';

/**
 * The end of a reset or a registration that began at an app's sign-in: a button back into it, or,
 * when it has expired, once and plainly what to do instead. Without an app, the account console.
 */
export function returnToAppSection(returnTo: ReturnToApp | undefined, afterwards: string): SafeHtml {
  if (returnTo?.live)
    return html`<p>${afterwards}</p>
<div class="actions"><a class="button" href="${returnTo.href}">Continue to ${returnTo.clientName}</a></div>`;
  if (returnTo)
    return returnTo.startUri
      ? html`<p>Your sign-in to ${returnTo.clientName} has expired, so it cannot continue. Start again from the app.</p>
<div class="actions"><a class="button" href="${returnTo.startUri}">Go to ${returnTo.clientName}</a></div>
<p class="muted">Or <a href="/account">open your account</a>.</p>`
      : html`<p>Your sign-in to ${returnTo.clientName ?? 'the app'} has expired, so it cannot continue. Return to the app and sign in there again.</p>
<p class="muted">Or <a href="/account">open your account</a>.</p>`;
  return html`<p class="muted">Return to the app you were using and sign in there, or <a href="/account">open your account</a>.</p>`;
}
