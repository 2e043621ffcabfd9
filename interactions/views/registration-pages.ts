import { html } from './html.js';
import { layout } from './layout.js';
import { returnToAppSection } from './return-to-app-section.js';
import type { ReturnToApp } from '../sign-in/return-to-app.js';

const back = (uid?: string) =>
  uid ? html`<p class="muted"><a href="/interaction/${uid}">Back to sign-in</a></p>` : '';

export function registerPage({
  uid,
  name,
  email,
  error,
  domains,
}: {
  uid?: string;
  name?: string;
  email?: string;
  error?: string;
  domains?: readonly string[];
}): string {
  return layout({
    title: 'Create account',
    body: html`<h1>Create account</h1>
${domains?.length ? html`<p class="lead">With an address at ${domains.join(', ')}.</p>` : ''}
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/register" novalidate>
${uid ? html`<input type="hidden" name="uid" value="${uid}">` : ''}
<label for="name">Name</label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${name ?? ''}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128">
<p class="muted">At least 8 characters; a long phrase is best.</p>
<div class="actions"><button type="submit">Create account</button></div>
</form>
${back(uid)}`,
  });
}

/** The one answer to every registration, whether the address has an account or not. */
export function registrationSentPage({ uid }: { uid?: string }): string {
  return layout({
    title: 'Check your email',
    body: html`<h1>Check your email</h1>
<p class="lead">We sent a message to this address. Use the link in it to finish creating your account.</p>
<p>The link works once, for 24 hours. Nothing arrived? Check your spam folder.</p>
${back(uid)}`,
  });
}

export function confirmRegistrationPage({ token, email }: { token: string; email: string }): string {
  return layout({
    title: 'Create your account',
    body: html`<h1>Create your account</h1>
<p class="lead">for <strong>${email}</strong></p>
<form method="post" action="/register/confirm">
<input type="hidden" name="token" value="${token}">
<div class="actions"><button type="submit">Create my account</button></div>
</form>`,
  });
}

export function registrationDonePage({ email, returnTo }: { email: string; returnTo?: ReturnToApp }): string {
  return layout({
    title: 'Account created',
    body: html`<h1>Your account is ready</h1>
<p class="lead">Sign in with <strong>${email}</strong> and the password you chose.</p>
${returnToAppSection(returnTo, 'Sign in to continue where you left off.')}`,
  });
}

export function registrationUnavailablePage({ message }: { message: string }): string {
  return layout({
    title: 'Registration is not available',
    body: html`<h1>You cannot create an account here</h1>
<p class="lead">${message}</p>
<p class="muted">Ask your administrator for an account.</p>`,
  });
}

export function registrationLinkInvalidPage(message = 'It has expired or was already used.'): string {
  return layout({
    title: 'This link no longer works',
    body: html`<h1>This link no longer works</h1>
<p class="lead">${message}</p>
<p class="muted"><a href="/register">Start again</a></p>`,
  });
}
