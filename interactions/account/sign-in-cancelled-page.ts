import { html } from '../views/html.js';
import { layout } from '../views/layout.js';

/**
 * Where the account console's sign-in ends when it did not finish: the person pressed "Cancel", or
 * the sign-in was refused (the authorization response's `error`, RFC 6749 §4.1.2.1). Sending them
 * to /account again would only open a new sign-in page, so this page says what happened and
 * offers both ways on: sign in after all, or sign this browser out of what it started.
 */
export function signInCancelledPage({ cancelled }: { cancelled: boolean }): string {
  return layout({
    title: cancelled ? 'Sign-in cancelled' : 'Sign-in not finished',
    body: html`<h1>${cancelled ? 'Sign-in cancelled' : 'Sign-in not finished'}</h1>
<p class="lead">${
      cancelled
        ? 'You cancelled signing in, so your account is not shown. Nothing was changed.'
        : 'Signing in did not finish, so your account is not shown. Nothing was changed.'
    }</p>
<p class="actions"><a class="button" href="/account">Sign in to your account</a></p>
<p class="muted">On a shared computer? <a href="/session/end">Sign out of this browser</a> to end anything started here.</p>`,
  });
}
