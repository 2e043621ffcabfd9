import { html } from './html.js';
import { layout } from './layout.js';
import { passkeyButton, type ScriptTag } from './passkey-step-page.js';

export interface LoginView {
  readonly uid: string;
  readonly clientName: string;
  readonly email?: string;
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
    title: 'Sign in',
    scripts: passkey ? [passkey] : [],
    body: html`<h1>Sign in</h1>
<p class="lead">to continue to <strong>${clientName}</strong></p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
${connections.map(
  (c) => html`<form method="post" action="/interaction/${uid}/upstream/${c.id}">
<div class="actions"><button type="submit" class="secondary">Continue with ${c.label}</button></div>
</form>`,
)}
${connections.length ? html`<p class="muted">or sign in with your email</p>` : ''}
<form method="post" action="/interaction/${uid}/login" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username webauthn" required autofocus value="${email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button></div>
</form>
${
  passkey
    ? passkeyButton({
        uid,
        action: `/interaction/${uid}/login/passkey`,
        label: 'Sign in with a passkey',
        // Not again right after a refusal: the person chooses what to try next.
        autofill: !error,
      })
    : ''
}
${passwordReset ? html`<p class="muted"><a href="/password/forgot?uid=${uid}">Forgot your password?</a></p>` : ''}
${registration ? html`<p class="muted">New here? <a href="/register?uid=${uid}">Create account</a></p>` : ''}
<form method="post" action="/interaction/${uid}/abort">
<div class="actions"><button type="submit" class="secondary">Cancel and return to ${clientName}</button></div>
</form>`,
  });
}
