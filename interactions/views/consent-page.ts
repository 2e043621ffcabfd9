import { html } from './html.js';
import { layout } from './layout.js';

export interface ConsentView {
  readonly uid: string;
  readonly clientName: string;
  readonly accountEmail: string;
  /** Plain-language lines, one per scope or claim being asked for. */
  readonly permissions: readonly string[];
}

export function consentPage({ uid, clientName, accountEmail, permissions }: ConsentView): string {
  return layout({
    title: 'Allow access',
    body: html`<h1><strong>${clientName}</strong> wants access to your account</h1>
<p class="lead">Signed in as ${accountEmail}. If you allow it, ${clientName} will be able to:</p>
<ul class="scopes">${permissions.map((p) => html`<li>${p}</li>`)}</ul>
<p class="muted">You can remove this access at any time from your account page.</p>
<div class="actions">
<form method="post" action="/interaction/${uid}/abort"><button type="submit" class="secondary">Deny</button></form>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>
</div>`,
  });
}
