import { html, type SafeHtml } from './html.js';
import { t, tHtml } from '../page/translate.js';
import type { ReturnToApp } from '../sign-in/return-to-app.js';

const accountLink = (chunks: Array<string | SafeHtml>) => html`<a href="/account">${chunks}</a>`;

/**
 * The end of a reset or a registration that began at an app's sign-in: a button back into it, or,
 * when it has expired, once and plainly what to do instead. Without an app, the account console.
 * `afterwards` is already in the page's language.
 */
export function returnToAppSection(returnTo: ReturnToApp | undefined, afterwards: string): SafeHtml {
  if (returnTo?.live)
    return html`<p>${afterwards}</p>
<div class="actions"><a class="button" href="${returnTo.href}">${t('reset.returnTo.continue', { clientName: returnTo.clientName ?? '' })}</a></div>`;
  if (returnTo)
    return returnTo.startUri
      ? html`<p>${t('reset.returnTo.expiredStart', { clientName: returnTo.clientName ?? '' })}</p>
<div class="actions"><a class="button" href="${returnTo.startUri}">${t('reset.returnTo.goTo', { clientName: returnTo.clientName ?? '' })}</a></div>
<p class="muted">${tHtml('reset.returnTo.openAccount', { link: accountLink })}</p>`
      : html`<p>${
          returnTo.clientName
            ? t('reset.returnTo.expired', { clientName: returnTo.clientName })
            : t('reset.returnTo.expiredNoName')
        }</p>
<p class="muted">${tHtml('reset.returnTo.openAccount', { link: accountLink })}</p>`;
  return html`<p class="muted">${tHtml('reset.returnTo.none', { link: accountLink })}</p>`;
}
