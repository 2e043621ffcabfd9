import { html } from './html.js';
import { layout } from './layout.js';
import { t, tHtml } from '../page/translate.js';
import { passkeyButton, type ScriptTag } from './passkey-step-page.js';

export interface LoginView {
  readonly uid: string;
  readonly clientName: string;
  readonly email?: string;
  /** A refusal, already in the page's language (the routes write it with `t`). */
  readonly error?: string;
  /** Offer "Forgot your password?" (only when the server sends mail: no dead links). */
  readonly passwordReset?: boolean;
  /** Offer "Create account" (REGISTRATION on, and mail to prove the address). */
  readonly registration?: boolean;
  /** Offer "Sign in with a passkey", run by this script (it also offers passkeys from the email field's autofill). */
  readonly passkey?: ScriptTag;
  /** "Continue with …": one button per connection to another identity provider (src/connections). */
  readonly connections?: ReadonlyArray<{ readonly id: string; readonly label: string }>;
}

export function loginPage({
  uid,
  clientName,
  email,
  error,
  passwordReset = false,
  registration = false,
  passkey,
  connections = [],
}: LoginView): string {
  return layout({
    title: t('signIn.title'),
    scripts: passkey ? [passkey] : [],
    body: html`<h1>${t('signIn.title')}</h1>
<p class="lead">${tHtml('signIn.lead', { clientName })}</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
${connections.map(
  (c) => html`<form method="post" action="/interaction/${uid}/upstream/${c.id}">
<div class="actions"><button type="submit" class="secondary">${t('signIn.continueWith', { provider: c.label })}</button></div>
</form>`,
)}
${connections.length ? html`<p class="muted">${t('signIn.orEmail')}</p>` : ''}
<form method="post" action="/interaction/${uid}/login" novalidate>
<label for="email">${t('signIn.email.label')}</label>
<input id="email" name="email" type="email" autocomplete="username webauthn" required autofocus value="${email ?? ''}">
<label for="password">${t('signIn.password.label')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">${t('signIn.submit')}</button></div>
</form>
${
  passkey
    ? passkeyButton({
        uid,
        action: `/interaction/${uid}/login/passkey`,
        label: t('signIn.passkey'),
        // Not again right after a refusal: the person chooses what to try next.
        autofill: !error,
      })
    : ''
}
${passwordReset ? html`<p class="muted"><a href="/password/forgot?uid=${uid}">${t('signIn.forgotPassword')}</a></p>` : ''}
${
  registration
    ? html`<p class="muted">${tHtml('signIn.register', {
        link: (chunks) => html`<a href="/register?uid=${uid}">${chunks}</a>`,
      })}</p>`
    : ''
}
<form method="post" action="/interaction/${uid}/abort">
<div class="actions"><button type="submit" class="secondary">${t('signIn.cancel', { clientName })}</button></div>
</form>`,
  });
}
