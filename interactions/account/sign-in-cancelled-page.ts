import { html } from '../views/html.js';
import { layout } from '../views/layout.js';
import { t, tHtml } from '../page/translate.js';

/**
 * Where the account console's sign-in ends when it did not finish: the person pressed "Cancel", or
 * the sign-in was refused (the authorization response's `error`, RFC 6749 §4.1.2.1). Sending them
 * to /account again would only open a new sign-in page, so this page says what happened and
 * offers both ways on: sign in after all, or sign this browser out of what it started.
 */
export function signInCancelledPage({ cancelled }: { cancelled: boolean }): string {
  const title = t(cancelled ? 'account.cancelled.title' : 'account.unfinished.title');
  return layout({
    title,
    body: html`<h1>${title}</h1>
<p class="lead">${t(cancelled ? 'account.cancelled.lead' : 'account.unfinished.lead')}</p>
<p class="actions"><a class="button" href="/account">${t('account.cancelled.signIn')}</a></p>
<p class="muted">${tHtml('account.cancelled.shared', {
      link: (chunks) => html`<a href="/session/end">${chunks}</a>`,
    })}</p>`,
  });
}
