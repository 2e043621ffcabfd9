import { html } from './html.js';
import { layout } from './layout.js';
import { currentPage } from '../page/page-context.js';
import { t, tHtml } from '../page/translate.js';

/** What a person (or a developer) who types the server's bare address finds: where to go next. */
export function landingPage({ discoveryUrl }: { discoveryUrl: string }): string {
  const { productName } = currentPage().brand;
  return layout({
    title: t('landing.title'),
    body: html`<h1>${productName}</h1>
<p class="lead">${t('landing.lead', { productName })}</p>
<div class="actions"><a class="button" href="/account">${t('landing.account')}</a></div>
<p class="muted">${t('landing.startFromApp')}</p>
<p class="muted">${tHtml('landing.developers', { discoveryUrl, link: (chunks) => html`<a href="${discoveryUrl}">${chunks}</a>` })}</p>`,
  });
}
