import { html } from '../views/html.js';
import { layout } from '../views/layout.js';
import { currentPage } from '../page/page-context.js';
import { t, tHtml } from '../page/translate.js';
import type { SessionView, GrantView } from '../../src/sessions/session-service.js';
import { directorySection, type DirectoryView } from './directory-section.js';
import { utcTime } from '../views/utc-time.js';
import { formField } from '../views/form-field.js';
import type { PageScript } from '../../src/http/page-scripts.js';

export interface AccountView {
  readonly email: string;
  readonly name: string | null;
  readonly emailVerified: boolean;
  readonly mailEnabled?: boolean;
  readonly sessions: readonly SessionView[];
  /** Each connected app, with what it may do in words (describe-scopes.ts); without them, its scope names. */
  readonly grants: ReadonlyArray<GrantView & { readonly access?: readonly string[] }>;
  readonly directory: DirectoryView;
  readonly notice?: string;
  readonly error?: string;
  /**
   * Refusals of the password and email forms, by field id (current, next, confirm; new-email,
   * email-current), each shown under its field; `typedEmail` is the new address typed.
   */
  readonly fieldErrors?: Readonly<Record<string, string>>;
  readonly typedEmail?: string;
  /** local-time.js, allowed in this response's CSP: times in the browser's zone. */
  readonly scripts?: ReadonlyArray<Pick<PageScript, 'src' | 'integrity'>>;
}

export function accountPage(view: AccountView): string {
  const others = view.sessions.filter((s) => !s.current).length;
  const errors = view.fieldErrors ?? {};
  const first = Object.keys(errors)[0];
  const field = (options: Omit<Parameters<typeof formField>[0], 'error' | 'focus'>) =>
    formField({ ...options, error: errors[options.id], focus: options.id === first });
  return layout({
    title: t('account.title'),
    wide: true,
    scripts: view.scripts,
    body: html`<h1>${t('account.title')}</h1>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
${view.error ? html`<p class="alert" role="alert">${view.error}</p>` : ''}
<h2>${t('account.profile.heading')}</h2>
<table><tbody>
<tr><th scope="row">${t('account.profile.name')}</th><td>${view.name ?? '—'}</td></tr>
<tr><th scope="row">${t('account.profile.email')}</th><td>${t(view.emailVerified ? 'account.profile.emailVerified' : 'account.profile.emailNotVerified', { email: view.email })}</td></tr>
</tbody></table>
${!view.emailVerified && view.mailEnabled ? html`<form method="post" action="/account/email/verify"><div class="actions"><button type="submit" class="secondary">${t('account.profile.sendConfirmation', { email: view.email })}</button></div></form>` : ''}

${directorySection(view.directory)}

<h2>${t('account.email.heading')}</h2>
${
  view.mailEnabled
    ? html`<form method="post" action="/account/email">
${field({ id: 'new-email', name: 'email', label: t('account.email.new'), type: 'email', value: view.typedEmail, attributes: { autocomplete: 'email', maxlength: 320, required: true } })}
${field({ id: 'email-current', name: 'current', label: t('console.currentPassword'), type: 'password', attributes: { autocomplete: 'current-password', required: true } })}
<p class="muted">${t('account.email.explain')}</p>
<div class="actions"><button type="submit">${t('account.email.submit')}</button></div>
</form>`
    : html`<p class="muted">${t('account.email.noMail')}</p>`
}

<h2>${t('account.sessions.heading')}</h2>
<table class="stack">
<thead><tr><th scope="col">${t('account.sessions.browser')}</th><th scope="col">${t('account.sessions.ip')}</th><th scope="col">${t('account.sessions.lastSeen')}</th><th scope="col"></th></tr></thead>
<tbody>${view.sessions.map(
      (s) => html`<tr>
<td>${s.current ? tHtml('account.sessions.current', { browser: s.browser }) : s.browser}</td>
<td data-label="${t('account.sessions.ip')}">${s.ip ?? '—'}</td>
<td data-label="${t('account.sessions.lastSeen')}">${utcTime(s.lastSeenAt ?? s.signedInAt)}</td>
<td>${s.current ? '' : html`<form method="post" action="/account/sessions/${s.uid}/revoke"><button type="submit" class="danger">${t('account.sessions.signOut')}</button></form>`}</td>
</tr>`,
    )}</tbody>
</table>
${others > 0 ? html`<form method="post" action="/account/sessions/revoke-others"><div class="actions"><button type="submit" class="danger">${t('account.sessions.signOutOthers')}</button></div></form>` : ''}

<h2>${t('account.apps.heading')}</h2>
${
  view.grants.length === 0
    ? html`<p class="muted">${t('account.apps.none')}</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">${t('account.apps.app')}</th><th scope="col">${t('account.apps.access')}</th><th scope="col">${t('account.apps.since')}</th><th scope="col"></th></tr></thead>
<tbody>${view.grants.map(
        (g) => html`<tr>
<td>${g.clientName}</td><td data-label="${t('account.apps.access')}">${g.access ? html`<ul class="access">${g.access.map((line) => html`<li>${line}</li>`)}</ul>` : g.scopes.join(', ')}</td><td data-label="${t('account.apps.since')}">${utcTime(g.createdAt)}</td>
<td><form method="post" action="/account/grants/${g.grantId}/revoke"><button type="submit" class="danger">${t('account.apps.remove')}</button></form></td>
</tr>`,
      )}</tbody></table>`
}

<h2>${t('account.security.heading')}</h2>
<p><a href="/account/mfa">${t('account.security.mfa')}</a></p>
<p><a href="/account/passkeys">${t('account.security.passkeys')}</a></p>
<p><a href="/account/identities">${t('account.security.identities')}</a></p>

<h2>${t('account.password.heading')}</h2>
<form method="post" action="/account/password">
${field({ id: 'current', name: 'current', label: t('console.currentPassword'), type: 'password', attributes: { autocomplete: 'current-password', required: true } })}
${field({ id: 'next', name: 'next', label: t('account.password.new'), type: 'password', hint: t('account.password.hint', { min: 8 }), attributes: { autocomplete: 'new-password', minlength: 8, maxlength: 128, required: true } })}
${field({ id: 'confirm', name: 'confirm', label: t('account.password.confirm'), type: 'password', attributes: { autocomplete: 'new-password', minlength: 8, maxlength: 128, required: true } })}
<div class="actions"><button type="submit">${t('account.password.submit')}</button></div>
</form>

<h2>${t('account.signOut.heading')}</h2>
<p><a href="/session/end">${t('account.signOut.link', { productName: currentPage().brand.productName })}</a></p>`,
  });
}
