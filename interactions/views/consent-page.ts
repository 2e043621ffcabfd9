import { html } from './html.js';
import { layout } from './layout.js';
import type { ClientLinks } from '../../src/clients/client-links.js';

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
  /** Where the browser is sent back to (the redirect URI's host); none for a device's request. */
  readonly redirectHost?: string;
  /** The app's logo (already allowed in the page's CSP) and links, as its registration gives them. */
  readonly app?: ClientLinks;
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

/** The app's own pages, named by what they are (each link read alone still makes sense). */
function appLinks(clientName: string, app: ClientLinks) {
  const links = [
    [app.client_uri, `${clientName} website`],
    [app.policy_uri, `${clientName} privacy policy`],
    [app.tos_uri, `${clientName} terms of service`],
  ].filter((link): link is [string, string] => Boolean(link[0]));
  if (links.length === 0) return '';
  return html`<ul class="app-links">${links.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}</ul>`;
}

export function consentPage({
  uid,
  clientName,
  accountEmail,
  permissions,
  device,
  unverified,
  redirectHost,
  app = {},
}: ConsentView): string {
  return layout({
    title: 'Allow access',
    body: html`${app.logo_uri ? html`<img class="app-logo" src="${app.logo_uri}" alt="${clientName} logo" width="64" height="64">` : ''}
<h1><strong>${clientName}</strong> wants access to your account</h1>
${unverified ? unverifiedNotice(unverified) : ''}
<p class="lead">Signed in as ${accountEmail}. If you allow it, ${clientName} will be able to:</p>
<ul class="scopes">${permissions.map((p) => html`<li>${p}</li>`)}</ul>
${device ? devicePart(device) : ''}
${redirectHost && !unverified ? html`<p>If you allow it, you will be sent to <strong>${redirectHost}</strong>.</p>` : ''}
${appLinks(clientName, app)}
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
