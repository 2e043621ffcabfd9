import { html, type SafeHtml } from './html.js';
import type { PageScript } from '../../src/http/page-scripts.js';
import { layout } from './layout.js';
import { totpSetup, type TotpSetupView } from './totp-setup.js';
import { recoveryCodesList } from './recovery-codes.js';
import { passkeyButton, type ScriptTag } from './passkey-step-page.js';
import { formatList, t, tHtml } from '../page/translate.js';

export interface SecondStepView {
  readonly uid: string;
  readonly clientName: string;
  /** Why it is asked, in words of the page's language ("new browser", "the app requires it"). */
  readonly reasons: readonly string[];
  /** Ask for a recovery code instead of a code from the app. */
  readonly recovery?: boolean;
  readonly error?: string;
  /** Something the person should know first (not a mistake of theirs). */
  readonly notice?: string;
  /** The account has a passkey: offer "Use a passkey", run by this script. */
  readonly passkey?: ScriptTag;
  /** The account has an authenticator app (default); without one, only a passkey or a recovery code. */
  readonly app?: boolean;
}

const why = (reasons: readonly string[]) =>
  reasons.length ? html`<p class="muted">${t('secondStep.askedBecause', { reasons: formatList(reasons) })}</p>` : '';

const rememberBox = () =>
  html`<label class="check"><input type="checkbox" name="remember" value="yes"> ${t('secondStep.remember')}</label>`;

/** The second step after the password: a passkey, a code from the app, or a recovery code. */
export function secondStepPage({
  uid,
  clientName,
  reasons,
  recovery,
  error,
  notice,
  passkey,
  app = true,
}: SecondStepView): string {
  const form = recovery
    ? html`<form method="post" action="/interaction/${uid}/mfa" novalidate>
<label for="recovery_code">${t('secondStep.recoveryCode.label')}</label>
<input id="recovery_code" name="recovery_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" required autofocus>
${rememberBox()}
<div class="actions"><button type="submit">${t('secondStep.submit')}</button></div>
</form>
<p><a href="/interaction/${uid}">${app ? t('secondStep.useApp') : t('secondStep.back')}</a></p>`
    : !app
      ? html`<p><a href="/interaction/${uid}?method=recovery">${t('secondStep.useRecoveryCode')}</a></p>`
      : html`<form method="post" action="/interaction/${uid}/mfa" novalidate>
<label for="code">${t('secondStep.code.label')}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required autofocus>
${rememberBox()}
<div class="actions"><button type="submit">${t('secondStep.submit')}</button></div>
</form>
<p><a href="/interaction/${uid}?method=recovery">${t('secondStep.useRecoveryCode')}</a></p>`;
  const lead = tHtml(app ? 'secondStep.lead.app' : 'secondStep.lead.passkey', { clientName });
  return layout({
    title: t('secondStep.title'),
    scripts: passkey ? [passkey] : [],
    body: html`<h1>${t('secondStep.title')}</h1>
<p class="lead">${lead}</p>
${why(reasons)}
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
${passkey && !recovery ? passkeyButton({ uid, action: `/interaction/${uid}/mfa/passkey`, label: t('secondStep.passkey') }) : ''}
${form}`,
  });
}

/** A person without an authenticator signs in to an app that requires one: set it up now. */
export function secondStepEnrolPage(
  view: { clientName: string; reasons: readonly string[] } & Omit<TotpSetupView, 'hidden'>,
): string {
  return layout({
    title: t('secondStep.enrol.title'),
    body: html`<h1>${t('secondStep.enrol.title')}</h1>
<p class="lead">${tHtml('secondStep.enrol.lead', { clientName: view.clientName })}</p>
${why(view.reasons)}
${totpSetup(view)}`,
  });
}

/**
 * Set-up is demanded, but this session signed in a while ago: the password first, as in the
 * console (ASVS 4.0 §3.7.1), before a secret is made and shown.
 */
export function secondStepPasswordPage({
  uid,
  clientName,
  reasons,
  error,
}: Omit<SecondStepView, 'recovery' | 'notice'>): string {
  return layout({
    title: t('secondStep.enrol.title'),
    body: html`<h1>${t('secondStep.enrol.title')}</h1>
<p class="lead">${tHtml('secondStep.password.lead', { clientName })}</p>
${why(reasons)}
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/mfa/password" novalidate>
<label for="password">${t('secondStep.password.label')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<div class="actions"><button type="submit">${t('secondStep.password.submit')}</button></div>
</form>`,
  });
}

/** After enrolment inside a sign-in: the codes once, then on to the app. */
export function secondStepDonePage({
  codes,
  continueTo,
  clientName,
  scripts = [],
}: {
  codes: readonly string[];
  continueTo: string;
  clientName: string;
  /** recovery-codes.js (Copy, Download), allowed in this response's CSP. */
  scripts?: ReadonlyArray<Pick<PageScript, 'src' | 'integrity'>>;
}): string {
  return layout({
    title: t('secondStep.done.title'),
    scripts,
    body: html`<h1>${t('secondStep.done.heading')}</h1>
${recoveryCodesList(codes)}
<p class="actions"><a class="button" href="${continueTo}">${t('secondStep.done.continue', { clientName })}</a></p>` as SafeHtml,
  });
}
