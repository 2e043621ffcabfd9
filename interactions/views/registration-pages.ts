import { html } from './html.js';
import { layout } from './layout.js';
import { returnToAppSection } from './return-to-app-section.js';
import { formatList, t, tHtml } from '../page/translate.js';
import type { ReturnToApp } from '../sign-in/return-to-app.js';
import { REGISTRATION_LINK_TTL_MS } from '../../src/accounts/registration-service.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../src/accounts/password-policy.js';

/** Why registration is off: the reason's words are in the catalogues (register.unavailable.*). */
export type RegistrationUnavailable = 'off' | 'noMail';

const back = (uid?: string) =>
  uid ? html`<p class="muted"><a href="/interaction/${uid}">${t('register.back')}</a></p>` : '';

/** `error`: a refusal already in the page's language (the routes write it with `t`). */
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
    title: t('register.title'),
    body: html`<h1>${t('register.title')}</h1>
${domains?.length ? html`<p class="lead">${t('register.lead.domains', { domains: formatList(domains) })}</p>` : ''}
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/register" novalidate>
${uid ? html`<input type="hidden" name="uid" value="${uid}">` : ''}
<label for="name">${t('register.name')}</label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${name ?? ''}">
<label for="email">${t('register.email')}</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${email ?? ''}">
<label for="password">${t('register.password')}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}">
<p class="muted">${t('register.passwordHint', { min: PASSWORD_MIN_LENGTH })}</p>
<div class="actions"><button type="submit">${t('register.submit')}</button></div>
</form>
${back(uid)}`,
  });
}

/** The one answer to every registration, whether the address has an account or not. */
export function registrationSentPage({ uid }: { uid?: string }): string {
  return layout({
    title: t('register.sent.title'),
    body: html`<h1>${t('register.sent.title')}</h1>
<p class="lead">${t('register.sent.lead')}</p>
<p>${t('register.sent.expiry', { hours: REGISTRATION_LINK_TTL_MS / 3_600_000 })}</p>
${back(uid)}`,
  });
}

export function confirmRegistrationPage({ token, email }: { token: string; email: string }): string {
  return layout({
    title: t('register.confirm.title'),
    body: html`<h1>${t('register.confirm.title')}</h1>
<p class="lead">${tHtml('register.confirm.lead', { email })}</p>
<form method="post" action="/register/confirm">
<input type="hidden" name="token" value="${token}">
<div class="actions"><button type="submit">${t('register.confirm.submit')}</button></div>
</form>`,
  });
}

export function registrationDonePage({ email, returnTo }: { email: string; returnTo?: ReturnToApp }): string {
  return layout({
    title: t('register.done.title'),
    body: html`<h1>${t('register.done.heading')}</h1>
<p class="lead">${tHtml('register.done.lead', { email })}</p>
${returnToAppSection(returnTo, t('register.done.afterwards'))}`,
  });
}

export function registrationUnavailablePage({ reason }: { reason: RegistrationUnavailable }): string {
  return layout({
    title: t('register.unavailable.title'),
    body: html`<h1>${t('register.unavailable.heading')}</h1>
<p class="lead">${t(reason === 'off' ? 'register.unavailable.off' : 'register.unavailable.noMail')}</p>
<p class="muted">${t('register.unavailable.hint')}</p>`,
  });
}

/** `taken`: the address got an account meanwhile, so the link created none. */
export function registrationLinkInvalidPage({ taken = false }: { taken?: boolean } = {}): string {
  return layout({
    title: t('register.invalid.title'),
    body: html`<h1>${t('register.invalid.title')}</h1>
<p class="lead">${t(taken ? 'register.invalid.taken' : 'register.invalid.lead')}</p>
<p class="muted"><a href="/register">${t('register.invalid.again')}</a></p>`,
  });
}
