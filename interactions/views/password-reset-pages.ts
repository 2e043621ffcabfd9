import { html } from './html.js';
import { layout } from './layout.js';
import { returnToAppSection } from './return-to-app-section.js';
import { t, tHtml } from '../page/translate.js';
import type { ReturnToApp } from '../sign-in/return-to-app.js';
import { RESET_LINK_TTL_MS } from '../../src/account-lifecycle/password-reset-service.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../src/accounts/password-policy.js';

const minutes = RESET_LINK_TTL_MS / 60_000;

/** Where "Back to sign-in" goes: the sign-in this person came from, when known. */
const back = (uid?: string) =>
  uid ? html`<p class="muted"><a href="/interaction/${uid}">${t('reset.back')}</a></p>` : '';

/** `error`: a refusal already in the page's language (the routes write it with `t`). */
export function forgotPasswordPage({ uid, email, error }: { uid?: string; email?: string; error?: string }): string {
  return layout({
    title: t('reset.forgot.title'),
    body: html`<h1>${t('reset.forgot.title')}</h1>
<p class="lead">${t('reset.forgot.lead')}</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/password/forgot" novalidate>
${uid ? html`<input type="hidden" name="uid" value="${uid}">` : ''}
<label for="email">${t('reset.forgot.email')}</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${email ?? ''}">
<div class="actions"><button type="submit">${t('reset.forgot.submit')}</button></div>
</form>
${back(uid)}`,
  });
}

/** The one answer to every request, whether an account has the address or not (no enumeration). */
export function resetLinkSentPage({ uid }: { uid?: string }): string {
  return layout({
    title: t('reset.sent.title'),
    body: html`<h1>${t('reset.sent.title')}</h1>
<p class="lead">${t('reset.sent.lead')}</p>
<p>${t('reset.sent.expiry', { minutes })}</p>
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
    title: t('reset.form.title'),
    body: html`<h1>${t('reset.form.title')}</h1>
<p class="lead">${tHtml('reset.form.lead', { email })}</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/password/reset" novalidate>
<input type="hidden" name="token" value="${token}">
<input type="text" name="username" autocomplete="username" value="${email}" hidden>
<label for="password">${t('reset.form.password')}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required autofocus minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}">
<p class="muted">${t('reset.form.passwordHint', { min: PASSWORD_MIN_LENGTH })}</p>
<label for="confirm">${t('reset.form.confirm')}</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}">
${
  secondFactor
    ? // It takes a recovery code too (letters and digits): a text keypad, and no one-time-code autofill
      // that would offer only the app's digits.
      html`<label for="code">${t('reset.form.code')}</label>
<input id="code" name="code" type="text" inputmode="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" required>
<p class="muted">${t('reset.form.codeHint')}</p>`
    : ''
}
<div class="actions"><button type="submit">${t('reset.form.submit')}</button></div>
</form>`,
  });
}

export function passwordResetDonePage({ returnTo }: { returnTo?: ReturnToApp } = {}): string {
  return layout({
    title: t('reset.done.title'),
    body: html`<h1>${t('reset.done.heading')}</h1>
<p class="lead">${t('reset.done.lead')}</p>
${returnToAppSection(returnTo, t('reset.done.afterwards'))}`,
  });
}

export function resetLinkInvalidPage(): string {
  return layout({
    title: t('reset.invalid.title'),
    body: html`<h1>${t('reset.invalid.title')}</h1>
<p class="lead">${t('reset.invalid.lead', { minutes })}</p>
<p><a href="/password/forgot">${t('reset.invalid.again')}</a></p>`,
  });
}

/** Shown instead of the reset pages when the server sends no mail: plainly, with no link that leads nowhere. */
export function mailOffPage(): string {
  return layout({
    title: t('reset.mailOff.title'),
    body: html`<h1>${t('reset.mailOff.heading')}</h1>
<p class="lead">${t('reset.mailOff.lead')}</p>
<p class="muted">${t('reset.mailOff.hint')}</p>`,
  });
}
