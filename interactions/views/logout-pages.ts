import { html, raw } from './html.js';
import { layout } from './layout.js';
import { currentPage } from '../page/page-context.js';

/**
 * The "Sign out?" confirmation (OIDC RP-Initiated Logout §2). `form` is oidc-provider's own
 * form markup carrying its XSRF token; the buttons below submit it.
 */
export function logoutConfirmPage(form: string, clientName?: string): string {
  const { productName } = currentPage().brand;
  return layout({
    title: 'Sign out',
    body: html`<h1>Sign out of ${productName}?</h1>
<p class="lead">${clientName ? html`<strong>${clientName}</strong> asked to sign you out. ` : ''}You will be signed out of every app that uses this ${productName} session.</p>
${raw(form)}
<div class="actions">
<button type="submit" form="op.logoutForm" value="no" name="logout" class="secondary">Stay signed in</button>
<button type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>
</div>`,
  });
}

export function logoutSuccessPage(clientName?: string): string {
  const { productName } = currentPage().brand;
  return layout({
    title: 'Signed out',
    body: html`<h1>You are signed out</h1>
<p class="lead">${clientName ? html`You have signed out of <strong>${clientName}</strong> and ${productName}.` : html`Your ${productName} session has ended.`}</p>
<p class="muted">You can close this window.</p>`,
  });
}
