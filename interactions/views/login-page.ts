import { html } from './html.js';
import { layout } from './layout.js';

export interface LoginView {
  readonly uid: string;
  readonly clientName: string;
  readonly email?: string;
  readonly error?: string;
  /** Offer "Forgot your password?" (only when the server sends mail: no dead links). */
  readonly passwordReset?: boolean;
  /** Offer "Create account" (REGISTRATION on, and mail to prove the address). */
  readonly registration?: boolean;
}

export function loginPage({
  uid,
  clientName,
  email,
  error,
  passwordReset = false,
  registration = false,
}: LoginView): string {
  return layout({
    title: 'Sign in',
    body: html`<h1>Sign in</h1>
<p class="lead">to continue to <strong>${clientName}</strong></p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button></div>
</form>
${passwordReset ? html`<p class="muted"><a href="/password/forgot?uid=${uid}">Forgot your password?</a></p>` : ''}
${registration ? html`<p class="muted">New here? <a href="/register?uid=${uid}">Create account</a></p>` : ''}
<form method="post" action="/interaction/${uid}/abort">
<div class="actions"><button type="submit" class="secondary">Cancel and return to ${clientName}</button></div>
</form>`,
  });
}
