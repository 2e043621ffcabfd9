import { html } from './html.js';
import { layout } from './layout.js';

/** A GET shows this and changes nothing (mail scanners open links); the button does it. */
export function confirmEmailPage({
  token,
  kind,
  email,
}: {
  token: string;
  kind: 'verify' | 'change';
  email: string;
}): string {
  const title = kind === 'change' ? 'Use your new email address' : 'Confirm your email address';
  return layout({
    title,
    body: html`<h1>${title}</h1>
<p class="lead">${kind === 'change' ? 'Your account will use' : 'Confirm that this is your address:'} <strong>${email}</strong></p>
<form method="post" action="/email/verify">
<input type="hidden" name="token" value="${token}">
<div class="actions"><button type="submit">${kind === 'change' ? 'Use this address' : 'Confirm'}</button></div>
</form>`,
  });
}

export function emailConfirmedPage({ kind, email }: { kind: 'verify' | 'change'; email: string }): string {
  return layout({
    title: 'Email address confirmed',
    body: html`<h1>${kind === 'change' ? 'Your email address has been changed' : 'Your email address is confirmed'}</h1>
<p class="lead">Your account's address is <strong>${email}</strong>.</p>
<p class="muted"><a href="/account">Open your account</a></p>`,
  });
}

export function emailLinkInvalidPage(message = 'It has expired or was already used.'): string {
  return layout({
    title: 'This link no longer works',
    body: html`<h1>This link no longer works</h1>
<p class="lead">${message}</p>
<p class="muted">Ask for a new one from <a href="/account">your account</a>.</p>`,
  });
}
