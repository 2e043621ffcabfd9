import { html } from './html.js';
import { layout } from './layout.js';
import type { ErrorView } from '../../src/http/screens.js';

export function errorPage({ title = 'Something went wrong', error, description }: ErrorView): string {
  return layout({
    title,
    body: html`<h1>${title}</h1>
<p class="lead">${description ?? 'The request could not be completed.'}</p>
<p class="muted">Error code: <code>${error}</code></p>
<p class="muted">Go back to the application you came from and try again.</p>`,
  });
}
