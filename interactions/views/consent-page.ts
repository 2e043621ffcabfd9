import { html } from './html.js';
import { layout } from './layout.js';
import type { ClientLinks } from '../../src/clients/client-links.js';
import { t, tHtml } from '../page/translate.js';

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
  const { redirectHost, documentHost } = unverified;
  return html`<div class="notice unverified" role="note">
<p>${tHtml('consent.unverified.lead')}</p>
<p>${
    documentHost
      ? tHtml('consent.unverified.redirectAndDocument', { redirectHost, documentHost })
      : tHtml('consent.unverified.redirect', { redirectHost })
  }</p>
</div>`;
}

/** The app's own pages, named by what they are (each link read alone still makes sense). */
function appLinks(clientName: string, app: ClientLinks) {
  const links = [
    [app.client_uri, t('consent.appLink.website', { clientName })],
    [app.policy_uri, t('consent.appLink.privacy', { clientName })],
    [app.tos_uri, t('consent.appLink.terms', { clientName })],
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
    title: t('consent.title'),
    body: html`${app.logo_uri ? html`<img class="app-logo" src="${app.logo_uri}" alt="${t('consent.logoAlt', { clientName })}" width="64" height="64">` : ''}
<h1>${tHtml('consent.heading', { clientName })}</h1>
${unverified ? unverifiedNotice(unverified) : ''}
<p class="lead">${t('consent.lead', { accountEmail, clientName })}</p>
<ul class="scopes">${permissions.map((p) => html`<li>${p}</li>`)}</ul>
${device ? devicePart(device) : ''}
${redirectHost && !unverified ? html`<p>${tHtml('consent.redirect', { redirectHost })}</p>` : ''}
${appLinks(clientName, app)}
<p class="muted">${t('consent.revoke')}</p>
<div class="actions">
<form method="post" action="/interaction/${uid}/abort"><button type="submit" class="secondary">${t('consent.deny')}</button></form>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">${t('consent.allow')}</button></form>
</div>`,
  });
}

/** RFC 8628 §5.4: the person is told a device is asking, so a code typed for someone else can be refused. */
function devicePart({ ip }: { readonly ip?: string }) {
  return html`<p class="notice">${ip ? t('consent.deviceAt', { ip }) : t('consent.device')}</p>`;
}
