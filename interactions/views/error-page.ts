import { html } from './html.js';
import { layout } from './layout.js';
import { errorAdvice } from './error-advice.js';
import { currentPage } from '../page/page-context.js';
import type { ErrorView } from '../../src/http/screens.js';

/**
 * Every error a browser is shown, the provider's and ours: in plain words what happened and what the
 * person can do (error-advice.ts), the error's own description only as a detail under them, and
 * never a stack (the error handler and the provider hand over no internals for a 5xx).
 */
export function errorPage({ title, error, description }: ErrorView): string {
  const advice = errorAdvice(error, currentPage().brand.productName);
  const heading = advice?.heading ?? title ?? 'Something went wrong';
  const happened = advice?.happened ?? 'The request could not be completed.';
  const todo = advice?.todo ?? 'Return to the app you came from and start again.';
  const details = (advice?.details ?? true) && description && description !== happened ? description : undefined;
  return layout({
    title: heading,
    body: html`<h1>${heading}</h1>
<p class="lead">${happened}</p>
<p>${todo}</p>
${error === 'not_found' ? html`<p><a href="/account">Open your account</a></p>` : ''}
${details ? html`<p class="muted">Details: ${details}</p>` : ''}
<p class="muted">Error code: <code>${error}</code></p>`,
  });
}
