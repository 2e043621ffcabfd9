import { html } from './html.js';
import { layout } from './layout.js';
import { errorAdvice } from './error-advice.js';
import { currentPage } from '../page/page-context.js';
import { t, tHtml } from '../page/translate.js';
import type { ErrorView } from '../../src/http/screens.js';

/**
 * The description under the advice. The provider's (an OAuth error_description) is the app
 * developer's, in English: labelled for them in the page's language and marked `lang="en"`, so a
 * screen reader reads it in an English voice and a translator leaves it be.
 */
const detailsLine = (details: string, forDeveloper: boolean) =>
  forDeveloper
    ? tHtml('error.developerDetails', { details: html`<span lang="en">${details}</span>` })
    : t('error.details', { details });

/**
 * Every error a browser is shown, the provider's and ours: in plain words what happened and what the
 * person can do (error-advice.ts), the error's own description only as a detail under them, and
 * never a stack (the error handler and the provider hand over no internals for a 5xx).
 */
export function errorPage({ title, error, description, forDeveloper = false }: ErrorView): string {
  const advice = errorAdvice(error, currentPage().brand.productName);
  const heading = advice?.heading ?? title ?? t('error.fallback.heading');
  const happened = advice?.happened ?? t('error.fallback.happened');
  const todo = advice?.todo ?? t('error.todo.restart');
  const details = (advice?.details ?? true) && description && description !== happened ? description : undefined;
  return layout({
    title: heading,
    body: html`<h1>${heading}</h1>
<p class="lead">${happened}</p>
<p>${todo}</p>
${error === 'not_found' ? html`<p><a href="/account">${t('error.openAccount')}</a></p>` : ''}
${details ? html`<p class="muted">${detailsLine(details, forDeveloper)}</p>` : ''}
<p class="muted">${tHtml('error.code', { error, code: (chunks) => html`<code>${chunks}</code>` })}</p>`,
  });
}
