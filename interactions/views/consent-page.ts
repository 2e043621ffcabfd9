import { html } from './html.js';
import { layout } from './layout.js';

export interface ConsentView {
  readonly uid: string;
  readonly clientName: string;
  readonly accountEmail: string;
  /** Plain-language lines, one per scope or claim being asked for. */
  readonly permissions: readonly string[];
  /** The request comes from a device that showed a code (RFC 8628), not from this browser. */
  readonly device?: { readonly ip?: string };
  /** A client that registered itself or came by a metadata document: said plainly, with its hosts. */
  readonly unverified?: { readonly redirectHost: string; readonly documentHost?: string };
}

/**
 * The warning for a client nobody vouched for: its name is whatever it chose, so the page names the
 * hosts that cannot lie (where the browser returns; where the metadata document lives).
 */
function unverifiedNotice(unverified: NonNullable<ConsentView['unverified']>) {
  return html`<div class="notice unverified" role="note">
<p><strong>This app is not verified by the operator of this server.</strong> It registered itself, and its name was chosen by whoever made it.</p>
<p>If you allow it, you will be sent back to <strong>${unverified.redirectHost}</strong>.${
    unverified.documentHost ? html` It describes itself at <strong>${unverified.documentHost}</strong>.` : ''
  } Allow it only if you trust that site.</p>
</div>`;
}

export function consentPage({ uid, clientName, accountEmail, permissions, device, unverified }: ConsentView): string {
  return layout({
    title: 'Allow access',
    body: html`<h1><strong>${clientName}</strong> wants access to your account</h1>
${unverified ? unverifiedNotice(unverified) : ''}
<p class="lead">Signed in as ${accountEmail}. If you allow it, ${clientName} will be able to:</p>
<ul class="scopes">${permissions.map((p) => html`<li>${p}</li>`)}</ul>
${device ? devicePart(device) : ''}
<p class="muted">You can remove this access at any time from your account page.</p>
<div class="actions">
<form method="post" action="/interaction/${uid}/abort"><button type="submit" class="secondary">Deny</button></form>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>
</div>`,
  });
}

/** RFC 8628 §5.4: the person is told a device is asking, so a code typed for someone else can be refused. */
function devicePart({ ip }: { readonly ip?: string }) {
  return html`<p class="notice">This request comes from a device${ip ? html` (at address ${ip})` : ''}, not from this browser. Allow it only if you started it yourself on a device you have with you.</p>`;
}
