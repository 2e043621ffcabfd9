import { html } from '../views/html.js';
import { layout } from '../views/layout.js';
import type { LinkedIdentity } from '../../src/connections/identity-service.js';
import { utcTime } from '../views/utc-time.js';
import { t } from '../page/translate.js';
import type { PageScript } from '../../src/http/page-scripts.js';

export interface IdentitiesView {
  readonly identities: readonly LinkedIdentity[];
  /** Connections this account has no identity at yet: "Link …" buttons. */
  readonly linkable: ReadonlyArray<{ readonly id: string; readonly label: string }>;
  readonly notice?: string;
  readonly error?: string;
  /** local-time.js, allowed in this response's CSP: times in the browser's zone. */
  readonly scripts?: ReadonlyArray<Pick<PageScript, 'src' | 'integrity'>>;
}

/** /account/identities: the sign-ins at other providers linked to this account. */
export function identitiesPage({ identities, linkable, notice, error, scripts }: IdentitiesView): string {
  return layout({
    title: t('identities.title'),
    wide: true,
    scripts,
    body: html`<h1>${t('identities.title')}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
${
  identities.length === 0
    ? html`<p class="muted">${t('identities.none')}</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">${t('identities.provider')}</th><th scope="col">${t('identities.emailThere')}</th><th scope="col">${t('identities.linked')}</th><th scope="col">${t('identities.lastUsed')}</th><th scope="col"></th></tr></thead>
<tbody>
${identities.map(
  (i) => html`<tr>
<td>${i.buttonLabel}</td><td data-label="${t('identities.emailThere')}">${i.email ?? ''}</td><td data-label="${t('identities.linked')}">${utcTime(i.createdAt)}</td><td data-label="${t('identities.lastUsed')}">${utcTime(i.lastUsedAt, t('console.never'))}</td>
<td><form method="post" action="/account/identities/${i.id}/unlink"><button type="submit" class="secondary">${t('identities.unlink', { provider: i.buttonLabel })}</button></form></td>
</tr>`,
)}
</tbody></table>`
}
${linkable.map(
  (c) => html`<form method="post" action="/account/identities/link/${c.id}">
<div class="actions"><button type="submit" class="secondary">${t('identities.link', { provider: c.label })}</button></div>
</form>`,
)}
<p class="muted"><a href="/account">${t('console.back')}</a></p>`,
  });
}
