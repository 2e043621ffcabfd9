import { html, raw } from './html.js';
import { layout } from './layout.js';
import { currentPage } from '../page/page-context.js';
import { t, tHtml } from '../page/translate.js';

/**
 * The "Sign out?" confirmation (OIDC RP-Initiated Logout §2). `form` is oidc-provider's own
 * form markup carrying its XSRF token; the buttons below submit it.
 */
export function logoutConfirmPage(form: string, clientName?: string): string {
  const { productName } = currentPage().brand;
  return layout({
    title: t('logout.title'),
    body: html`<h1>${t('logout.heading', { productName })}</h1>
<p class="lead">${clientName ? tHtml('logout.leadAsked', { clientName, productName }) : t('logout.lead', { productName })}</p>
${raw(form)}
<div class="actions">
<button type="submit" form="op.logoutForm" value="no" name="logout" class="secondary">${t('logout.stay')}</button>
<button type="submit" form="op.logoutForm" value="yes" name="logout">${t('logout.submit')}</button>
</div>`,
  });
}

export function logoutSuccessPage(clientName?: string): string {
  const { productName } = currentPage().brand;
  return layout({
    title: t('logout.done.title'),
    body: html`<h1>${t('logout.done.heading')}</h1>
<p class="lead">${clientName ? tHtml('logout.done.fromApp', { clientName, productName }) : t('logout.done.ended', { productName })}</p>
<p class="muted">${t('logout.done.close')}</p>`,
  });
}
