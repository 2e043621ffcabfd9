import { html } from '../views/html.js';
import { layout } from '../views/layout.js';
import { currentPage } from '../page/page-context.js';
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
    title: 'Your account',
    wide: true,
    scripts: view.scripts,
    body: html`<h1>Your account</h1>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
${view.error ? html`<p class="alert" role="alert">${view.error}</p>` : ''}
<h2>Profile</h2>
<table><tbody>
<tr><th scope="row">Name</th><td>${view.name ?? '—'}</td></tr>
<tr><th scope="row">Email</th><td>${view.email} ${view.emailVerified ? '(verified)' : '(not verified)'}</td></tr>
</tbody></table>
${!view.emailVerified && view.mailEnabled ? html`<form method="post" action="/account/email/verify"><div class="actions"><button type="submit" class="secondary">Send a confirmation link to ${view.email}</button></div></form>` : ''}

${directorySection(view.directory)}

<h2>Change email</h2>
${
  view.mailEnabled
    ? html`<form method="post" action="/account/email">
${field({ id: 'new-email', name: 'email', label: 'New email address', type: 'email', value: view.typedEmail, attributes: { autocomplete: 'email', maxlength: 320, required: true } })}
${field({ id: 'email-current', name: 'current', label: 'Current password', type: 'password', attributes: { autocomplete: 'current-password', required: true } })}
<p class="muted">We send a link to the new address and tell the old one. Your address changes when the link is used.</p>
<div class="actions"><button type="submit">Change email</button></div>
</form>`
    : html`<p class="muted">Changing your address needs a confirmation by email, and this server sends no mail. Ask your administrator.</p>`
}

<h2>Where you are signed in</h2>
<table class="stack">
<thead><tr><th scope="col">Browser</th><th scope="col">IP address</th><th scope="col">Last seen</th><th scope="col"></th></tr></thead>
<tbody>${view.sessions.map(
      (s) => html`<tr>
<td>${s.browser}${s.current ? html` <strong>(this browser)</strong>` : ''}</td>
<td data-label="IP address">${s.ip ?? '—'}</td>
<td data-label="Last seen">${utcTime(s.lastSeenAt ?? s.signedInAt)}</td>
<td>${s.current ? '' : html`<form method="post" action="/account/sessions/${s.uid}/revoke"><button type="submit" class="danger">Sign out</button></form>`}</td>
</tr>`,
    )}</tbody>
</table>
${others > 0 ? html`<form method="post" action="/account/sessions/revoke-others"><div class="actions"><button type="submit" class="danger">Sign out all other sessions</button></div></form>` : ''}

<h2>Connected apps</h2>
${
  view.grants.length === 0
    ? html`<p class="muted">No app has access to your account.</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">App</th><th scope="col">Access</th><th scope="col">Since</th><th scope="col"></th></tr></thead>
<tbody>${view.grants.map(
        (g) => html`<tr>
<td>${g.clientName}</td><td data-label="Access">${g.access ? html`<ul class="access">${g.access.map((line) => html`<li>${line}</li>`)}</ul>` : g.scopes.join(', ')}</td><td data-label="Since">${utcTime(g.createdAt)}</td>
<td><form method="post" action="/account/grants/${g.grantId}/revoke"><button type="submit" class="danger">Remove access</button></form></td>
</tr>`,
      )}</tbody></table>`
}

<h2>Two-step verification</h2>
<p><a href="/account/mfa">Authenticator app, recovery codes and recent sign-ins</a></p>
<p><a href="/account/passkeys">Passkeys</a></p>
<p><a href="/account/identities">Sign-in with other providers</a></p>

<h2>Change password</h2>
<form method="post" action="/account/password">
${field({ id: 'current', name: 'current', label: 'Current password', type: 'password', attributes: { autocomplete: 'current-password', required: true } })}
${field({ id: 'next', name: 'next', label: 'New password', type: 'password', hint: 'At least 8 characters. Changing it signs you out everywhere else.', attributes: { autocomplete: 'new-password', minlength: 8, maxlength: 128, required: true } })}
${field({ id: 'confirm', name: 'confirm', label: 'Confirm new password', type: 'password', attributes: { autocomplete: 'new-password', minlength: 8, maxlength: 128, required: true } })}
<div class="actions"><button type="submit">Change password</button></div>
</form>

<h2>Sign out</h2>
<p><a href="/session/end">Sign out of ${currentPage().brand.productName} in this browser</a></p>`,
  });
}
