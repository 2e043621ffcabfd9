import { html } from './html.js';
import { layout } from './layout.js';
import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { t, tHtml } from '../page/translate.js';

/**
 * What each way back from an upstream that went wrong tells the person (never a stack trace), a
 * whole sentence each with the provider's name in it (`upstream.failed.*`).
 */
const EXPLAIN: Readonly<Record<string, MessageKey>> = {
  denied: 'upstream.failed.denied',
  bad_state: 'upstream.failed.bad_state',
  wrong_issuer: 'upstream.failed.wrong_issuer',
  invalid_id_token: 'upstream.failed.invalid_id_token',
  unavailable: 'upstream.failed.unavailable',
  invalid_response: 'upstream.failed.invalid_response',
  no_verified_email: 'upstream.failed.no_verified_email',
};

export interface UpstreamErrorView {
  readonly provider: string;
  readonly reason: string;
  /** Back to the sign-in it came from, when it is known: the interaction can be retried. */
  readonly retryUrl?: string;
}

export function upstreamErrorPage({ provider, reason, retryUrl }: UpstreamErrorView): string {
  return layout({
    title: t('upstream.failed.title'),
    body: html`<h1>${t('upstream.failed.title')}</h1>
<p class="lead">${t((Object.hasOwn(EXPLAIN, reason) ? EXPLAIN[reason] : undefined) ?? 'upstream.failed.invalid_response', { provider })}</p>
<p class="muted">${tHtml('upstream.failed.code', { reason, code: (chunks) => html`<code>${chunks}</code>` })}</p>
${
  retryUrl
    ? html`<p><a class="button" href="${retryUrl}">${t('upstream.failed.retry')}</a></p>
<p class="muted">${t('upstream.failed.orPassword')}</p>`
    : html`<p class="muted">${t('upstream.failed.goBack')}</p>`
}`,
  });
}

export interface LinkAccountView {
  readonly uid: string;
  readonly attempt: string;
  readonly email: string;
  readonly provider: string;
  readonly error?: string;
}

/**
 * An account already has the address the upstream gave: it is linked only once the person signs in
 * to it here (nOAuth: an address, verified or not, proves nothing about who owns the account).
 */
export function linkAccountPage({ uid, attempt, email, provider, error }: LinkAccountView): string {
  return layout({
    title: t('upstream.link.title'),
    body: html`<h1>${t('upstream.link.heading', { provider })}</h1>
<p class="lead">${tHtml('upstream.link.lead', { email, provider })}</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/upstream/link" novalidate>
<input type="hidden" name="attempt" value="${attempt}">
<input type="email" name="email" value="${email}" autocomplete="username" hidden readonly>
<label for="password">${t('upstream.link.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<div class="actions"><button type="submit">${t('upstream.link.submit')}</button></div>
</form>
<p class="muted"><a href="/interaction/${uid}">${t('upstream.link.cancel')}</a></p>`,
  });
}
