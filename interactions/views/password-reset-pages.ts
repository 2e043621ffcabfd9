import { html } from './html.js';
import { layout } from './layout.js';
import { returnToAppSection } from './return-to-app-section.js';
import type { ReturnToApp } from '../sign-in/return-to-app.js';

/** Where "Back to sign-in" goes: the sign-in this person came from, when known. */
const back = (uid?: string) =>
  uid ? html`<p class="muted"><a href="/interaction/${uid}">Back to sign-in</a></p>` : '';

export function forgotPasswordPage({ uid, email, error }: { uid?: string; email?: string; error?: string }): string {
  return layout({
    title: 'Reset your password',
    body: html`<h1>Reset your password</h1>
<p class="lead">Enter the email of your account. We will send it a link to choose a new password.</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/password/forgot" novalidate>
${uid ? html`<input type="hidden" name="uid" value="${uid}">` : ''}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${email ?? ''}">
<div class="actions"><button type="submit">Send the link</button></div>
</form>
${back(uid)}`,
  });
}

/** The one answer to every request, whether an account has the address or not (no enumeration). */
export function resetLinkSentPage({ uid }: { uid?: string }): string {
  return layout({
    title: 'Check your email',
    body: html`<h1>Check your email</h1>
<p class="lead">If an account uses this address, a link to choose a new password is on its way to it.</p>
<p>The link works once, for 30 minutes. Nothing arrived? Check your spam folder, or ask again in a few minutes.</p>
${back(uid)}`,
  });
}

export interface ResetView {
  readonly token: string;
  readonly email: string;
  readonly secondFactor: boolean;
  readonly error?: string;
}

export function resetPasswordPage({ token, email, secondFactor, error }: ResetView): string {
  return layout({
    title: 'Choose a new password',
    body: html`<h1>Choose a new password</h1>
<p class="lead">for <strong>${email}</strong></p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/password/reset" novalidate>
<input type="hidden" name="token" value="${token}">
<input type="text" name="username" autocomplete="username" value="${email}" hidden>
<label for="password">New password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required autofocus minlength="8" maxlength="128">
<p class="muted">At least 8 characters; a long phrase is best.</p>
<label for="confirm">Confirm new password</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength="8" maxlength="128">
${
  secondFactor
    ? // It takes a recovery code too (letters and digits): a text keypad, and no one-time-code autofill
      // that would offer only the app's digits.
      html`<label for="code">Authentication code</label>
<input id="code" name="code" type="text" inputmode="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" required>
<p class="muted">Your account has two-step verification: enter the code from your authenticator app, or one of your recovery codes.</p>`
    : ''
}
<div class="actions"><button type="submit">Change password</button></div>
</form>`,
  });
}

export function passwordResetDonePage({ returnTo }: { returnTo?: ReturnToApp } = {}): string {
  return layout({
    title: 'Password changed',
    body: html`<h1>Your password has been changed</h1>
<p class="lead">Every session of your account was signed out.</p>
${returnToAppSection(returnTo, 'Sign in with your new password to continue.')}`,
  });
}

export function resetLinkInvalidPage(): string {
  return layout({
    title: 'This link no longer works',
    body: html`<h1>This link no longer works</h1>
<p class="lead">It has expired or was already used. Reset links work once, for 30 minutes.</p>
<p><a href="/password/forgot">Ask for a new link</a></p>`,
  });
}

/** Shown instead of the reset pages when the server sends no mail: plainly, with no link that leads nowhere. */
export function mailOffPage(): string {
  return layout({
    title: 'Password reset is not available',
    body: html`<h1>Password reset by email is not available</h1>
<p class="lead">This server is not set up to send email, so it cannot send you a reset link.</p>
<p class="muted">Ask your administrator to set a new password for you.</p>`,
  });
}
