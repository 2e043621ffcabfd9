import { html, type SafeHtml } from './html.js';
import type { ReturnToApp } from '../sign-in/return-to-app.js';
import { t, tHtml } from '../page/translate.js';

const accountLink = (chunks: Array<string | SafeHtml>) => html`<a href="/account">${chunks}</a>`;

/**
 * The end of a reset or a registration that began at an app's sign-in: a button back into it, or,
 * when it has expired, once and plainly what to do instead. Without an app, the account console.
 */
export function returnToAppSection(returnTo: ReturnToApp | undefined, afterwards: string): SafeHtml {
  if (returnTo?.live)
    return html`<p>${afterwards}</p>
<div class="actions"><a class="button" href="${returnTo.href}">${t('returnToApp.continue', { clientName: returnTo.clientName })}</a></div>`;
  if (returnTo)
    return returnTo.startUri
      ? html`<p>${t('returnToApp.expiredStartAgain', { clientName: returnTo.clientName })}</p>
<div class="actions"><a class="button" href="${returnTo.startUri}">${t('returnToApp.goTo', { clientName: returnTo.clientName })}</a></div>
<p class="muted">${tHtml('returnToApp.orAccount', { link: accountLink })}</p>`
      : html`<p>${returnTo.clientName ? t('returnToApp.expiredSignInThere', { clientName: returnTo.clientName }) : t('returnToApp.expiredUnnamed')}</p>
<p class="muted">${tHtml('returnToApp.orAccount', { link: accountLink })}</p>`;
  return html`<p class="muted">${tHtml('returnToApp.none', { link: accountLink })}</p>`;
}
