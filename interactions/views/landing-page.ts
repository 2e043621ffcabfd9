import { html } from './html.js';
import { layout } from './layout.js';
import { currentPage } from '../page/page-context.js';

/** What a person (or a developer) who types the server's bare address finds: where to go next. */
export function landingPage({ discoveryUrl }: { discoveryUrl: string }): string {
  const { productName } = currentPage().brand;
  return layout({
    title: 'Welcome',
    body: html`<h1>${productName}</h1>
<p class="lead">This is where you sign in to the apps that use ${productName}.</p>
<div class="actions"><a class="button" href="/account">Manage your account</a></div>
<p class="muted">To sign in to an app, start from the app itself: it sends you here.</p>
<p class="muted">Developers: the OpenID Connect discovery document is at <a href="${discoveryUrl}">${discoveryUrl}</a>.</p>`,
  });
}
