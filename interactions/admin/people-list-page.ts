import { html, type SafeHtml } from '../views/html.js';
import type { PersonRow } from '../../src/admin-console/people-service.js';
import { when } from './admin-format.js';

/** What a person's factors are, in a few words. */
export function factorsText(row: { totp: boolean; passkeys: number }): string {
  const parts = [
    ...(row.totp ? ['authenticator app'] : []),
    ...(row.passkeys ? [`${row.passkeys} passkey${row.passkeys === 1 ? '' : 's'}`] : []),
  ];
  return parts.length ? parts.join(', ') : 'password only';
}

export function peopleListBody(view: { q: string; rows: readonly PersonRow[]; pager: SafeHtml }): SafeHtml {
  return html`<form method="get" action="/admin/people" class="search" role="search">
<label for="people-q">Email starts with</label>
<div class="inline"><input id="people-q" name="q" type="search" value="${view.q}" autocomplete="off" spellcheck="false" maxlength="320">
<button type="submit">Search</button></div>
</form>
${
  view.rows.length === 0
    ? html`<p class="muted">${view.q ? html`No one’s email starts with “${view.q}”.` : 'No people yet.'}</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Second factor</th><th scope="col">Created</th></tr></thead>
<tbody>${view.rows.map(
        (r) => html`<tr>
<td data-label="Email"><a href="/admin/people/${r.account.id}">${r.account.email}</a></td>
<td data-label="Name">${r.account.name ?? '—'}</td>
<td data-label="Status">${r.account.disabled ? html`<span class="badge off">Disabled</span>` : 'Active'}${r.account.emailVerified ? '' : ' · email not verified'}</td>
<td data-label="Second factor">${factorsText(r)}</td>
<td data-label="Created">${when(r.account.createdAt)}</td>
</tr>`,
      )}</tbody></table>`
}
${view.pager}`;
}
