import { html } from '../views/html.js';
import { layout } from '../views/layout.js';
import type { SessionView, GrantView } from '../../src/sessions/session-service.js';
import { directorySection, type DirectoryView } from './directory-section.js';

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
}

const when = (iso: string | null) => (iso ? new Date(iso).toUTCString().replace(' GMT', ' UTC') : '—');

export function accountPage(view: AccountView): string {
  const others = view.sessions.filter((s) => !s.current).length;
  return layout({
    title: 'Your account',
    wide: true,
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
<label for="new-email">New email address</label>
<input id="new-email" name="email" type="email" autocomplete="email" required>
<label for="email-current">Current password</label>
<input id="email-current" name="current" type="password" autocomplete="current-password" required>
<p class="muted">We send a link to the new address and tell the old one. Your address changes when the link is used.</p>
<div class="actions"><button type="submit">Change email</button></div>
</form>`
    : html`<p class="muted">Changing your address needs a confirmation by email, and this server sends no mail. Ask your administrator.</p>`
}

<h2>Where you are signed in</h2>
<table>
<thead><tr><th scope="col">Browser</th><th scope="col">IP address</th><th scope="col">Last seen</th><th scope="col"></th></tr></thead>
<tbody>${view.sessions.map(
      (s) => html`<tr>
<td>${s.browser}${s.current ? html` <strong>(this browser)</strong>` : ''}</td>
<td>${s.ip ?? '—'}</td>
<td>${when(s.lastSeenAt ?? s.signedInAt)}</td>
<td>${s.current ? '' : html`<form method="post" action="/account/sessions/${s.uid}/revoke"><button type="submit" class="danger">Sign out</button></form>`}</td>
</tr>`,
    )}</tbody>
</table>
${others > 0 ? html`<form method="post" action="/account/sessions/revoke-others"><div class="actions"><button type="submit" class="danger">Sign out all other sessions</button></div></form>` : ''}

<h2>Connected apps</h2>
${
  view.grants.length === 0
    ? html`<p class="muted">No app has access to your account.</p>`
    : html`<table>
<thead><tr><th scope="col">App</th><th scope="col">Access</th><th scope="col">Since</th><th scope="col"></th></tr></thead>
<tbody>${view.grants.map(
        (g) => html`<tr>
<td>${g.clientName}</td><td>${g.access ? html`<ul class="access">${g.access.map((line) => html`<li>${line}</li>`)}</ul>` : g.scopes.join(', ')}</td><td>${when(g.createdAt)}</td>
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
<label for="current">Current password</label>
<input id="current" name="current" type="password" autocomplete="current-password" required>
<label for="next">New password</label>
<input id="next" name="next" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<p class="muted">At least 8 characters. Changing it signs you out everywhere else.</p>
<div class="actions"><button type="submit">Change password</button></div>
</form>

<h2>Sign out</h2>
<p><a href="/session/end">Sign out of Gatehouse in this browser</a></p>`,
  });
}
