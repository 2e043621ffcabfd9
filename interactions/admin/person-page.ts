import { html, type SafeHtml } from '../views/html.js';
import type { Person } from '../../src/admin-console/people-service.js';
import { confirmForm } from './confirm-form.js';
import { eventLine, when } from './admin-format.js';
import { factorsText } from './people-list-page.js';

/** What the profile form shows again after a refusal (what was typed, not what is stored). */
export interface ProfileTyped {
  readonly name?: string;
  readonly email?: string;
  readonly emailVerified?: boolean;
}

/** A person's page: profile, factors, sessions, connected apps, access, deletion and recent events. */
export function personBody(p: Person, self: boolean, typed: ProfileTyped = {}): SafeHtml {
  const base = `/admin/people/${p.account.id}`;
  const email = p.account.email;
  const verified = typed.emailVerified ?? p.account.emailVerified;
  return html`<p class="lead">${p.account.disabled ? html`<span class="badge off">Disabled</span> ` : ''}${email}${
    p.roles.length ? html` · roles: ${p.roles.join(', ')}` : ''
  }${p.groups.length ? html` · groups: ${p.groups.join(', ')}` : ''}</p>
<p><a href="/admin/people">Back to People</a></p>

<h2>Profile</h2>
<form method="post" action="${base}/profile">
<input type="hidden" name="version" value="${p.account.updatedAt.toISOString()}">
<label for="profile-name">Name</label>
<input id="profile-name" name="name" type="text" value="${typed.name ?? p.account.name ?? ''}" maxlength="200" autocomplete="off">
<label for="profile-email">Email</label>
<input id="profile-email" name="email" type="email" value="${typed.email ?? email}" maxlength="320" required autocomplete="off">
<label class="check"><input id="profile-verified" name="email_verified" type="checkbox" value="yes"${verified ? html` checked` : ''}> Email address verified</label>
<p class="muted">A new email is unverified unless you tick the box. Created ${when(p.account.createdAt)}.</p>
<div class="actions"><button type="submit">Save profile</button></div>
</form>

<h2>Second factor</h2>
<p>${factorsText({ totp: p.mfa.totp, passkeys: p.passkeys.length })}${
    p.mfa.totp || p.passkeys.length ? html` · ${p.mfa.recoveryCodesLeft} recovery codes left` : ''
  }</p>
${
  p.passkeys.length
    ? html`<ul>${p.passkeys.map((k) => html`<li>${k.name} (added ${when(k.createdAt)}, last used ${when(k.lastUsedAt)})</li>`)}</ul>`
    : ''
}
${
  self
    ? html`<p class="muted">Your own second factor is managed in <a href="/account/mfa">your account</a>.</p>`
    : p.mfa.totp || p.passkeys.length
      ? confirmForm({
          action: `${base}/mfa/reset`,
          button: 'Reset two-step verification',
          question: `Remove the authenticator app, passkeys and recovery codes of ${email}, forget their remembered browsers and end all their sessions? They will set up a new factor at their next sign-in where one is required.`,
        })
      : ''
}

<h2>Sessions</h2>
${
  // Each row's button names its row for screen readers; the name starts with the visible words so
  // that speech control ("click End session") finds it (WCAG 2.2 SC 2.5.3 Label in Name).
  p.sessions.length === 0
    ? html`<p class="muted">Not signed in anywhere.</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">Browser</th><th scope="col">IP address</th><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>${p.sessions.map(
        (s) => html`<tr>
<td data-label="Browser">${s.browser}</td><td data-label="IP address">${s.ip ?? '—'}</td>
<td data-label="Signed in">${when(s.signedInAt)}</td><td data-label="Last seen">${when(s.lastSeenAt)}</td>
<td><form method="post" action="${base}/sessions/${s.uid}/end"><button type="submit" class="danger" aria-label="End session in ${s.browser}">End session</button></form></td>
</tr>`,
      )}</tbody></table>
<form method="post" action="${base}/sessions/end-all"><div class="actions"><button type="submit" class="danger">End all sessions of ${email}</button></div></form>`
}

<h2>Connected apps</h2>
${
  p.apps.length === 0
    ? html`<p class="muted">No app has access.</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">App</th><th scope="col">Access</th><th scope="col">Since</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>${p.apps.map(
        (g) => html`<tr>
<td data-label="App">${g.clientName}</td><td data-label="Access">${g.scopes.join(', ')}</td><td data-label="Since">${when(g.createdAt)}</td>
<td><form method="post" action="${base}/apps/${g.grantId}/revoke"><button type="submit" class="danger" aria-label="Revoke access of ${g.clientName}">Revoke access</button></form></td>
</tr>`,
      )}</tbody></table>`
}

<h2>Access</h2>
${
  self
    ? html`<p class="muted">You cannot disable or delete your own account here.</p>`
    : html`${
        p.account.disabled
          ? html`<form method="post" action="${base}/enable"><p>${email} cannot sign in.</p><div class="actions"><button type="submit">Enable ${email}</button></div></form>`
          : confirmForm({
              action: `${base}/disable`,
              button: 'Disable account',
              question: `Disable ${email}? Their sessions end, every app loses access and they cannot sign in until enabled again.`,
            })
      }
<h2>Delete</h2>
${confirmForm({
  action: `${base}/delete`,
  button: 'Delete account',
  question: `Delete ${email} and their personal data? This cannot be undone.`,
  typeToConfirm: email,
})}`
}

<h2>Recent events</h2>
${
  p.events.length === 0
    ? html`<p class="muted">No events recorded.</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Details</th><th scope="col">From</th></tr></thead>
<tbody>${p.events.map(
        (e) => html`<tr>
<td data-label="When">${when(e.lastAt)}</td>
<td data-label="Event">${eventLine(e.type, e.outcome, e.reason, e.count)}</td>
${detailCell(e.explanation)}
<td data-label="From">${e.ip ?? '—'}</td>
</tr>`,
      )}</tbody></table>`
}`;
}

/** On a phone an empty cell would still show its column's name: it has none then. */
const detailCell = (text: string) => (text ? html`<td data-label="Details">${text}</td>` : html`<td></td>`);
