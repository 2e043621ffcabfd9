import { html } from './html.js';
import { layout } from './layout.js';

/** What each way back from an upstream that went wrong tells the person (never a stack trace). */
const EXPLAIN: Record<string, string> = {
  denied: 'did not sign you in (you may have cancelled, or it refused).',
  bad_state:
    'sent back an answer that does not belong to a sign-in in progress in this browser (it was already used, has expired, or was started elsewhere).',
  wrong_issuer: 'sent back an answer that claims to come from another provider than the one configured.',
  invalid_id_token: 'sent back an ID token that failed validation (its signature, issuer, audience or nonce).',
  unavailable: 'cannot be reached right now.',
  invalid_response: 'gave an answer that could not be used.',
  no_verified_email: 'did not confirm an email address for you.',
};

export interface UpstreamErrorView {
  readonly provider: string;
  readonly reason: string;
  /** Back to the sign-in it came from, when it is known: the interaction can be retried. */
  readonly retryUrl?: string;
}

export function upstreamErrorPage({ provider, reason, retryUrl }: UpstreamErrorView): string {
  return layout({
    title: 'Sign-in did not complete',
    body: html`<h1>Sign-in did not complete</h1>
<p class="lead">${provider} ${EXPLAIN[reason] ?? EXPLAIN.invalid_response}</p>
<p class="muted">Error code: <code>upstream_${reason}</code></p>
${
  retryUrl
    ? html`<p><a class="button" href="${retryUrl}">Try again</a></p>
<p class="muted">You can also sign in with your password there.</p>`
    : html`<p class="muted">Go back to the application you came from and try again.</p>`
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
    title: 'Link your account',
    body: html`<h1>Link ${provider} to your account</h1>
<p class="lead">An account for <strong>${email}</strong> already exists here. Enter its password to prove it is yours; from then on you can sign in to it with ${provider}.</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/upstream/link" novalidate>
<input type="hidden" name="attempt" value="${attempt}">
<input type="email" name="email" value="${email}" autocomplete="username" hidden readonly>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<div class="actions"><button type="submit">Link and continue</button></div>
</form>
<p class="muted"><a href="/interaction/${uid}">Cancel: back to sign-in</a></p>`,
  });
}
