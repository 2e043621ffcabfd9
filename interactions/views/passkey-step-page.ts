import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import type { PageScript } from '../../src/http/page-scripts.js';
import { formatList, t, tHtml } from '../page/translate.js';

export type ScriptTag = Pick<PageScript, 'src' | 'integrity'>;

export interface PasskeyStepView {
  readonly uid: string;
  readonly clientName: string;
  /** Why it is asked, in words ("the app asked for a passkey"). */
  readonly reasons: readonly string[];
  readonly error?: string;
}

const why = (reasons: readonly string[]) =>
  reasons.length ? html`<p class="muted">${t('secondStep.askedBecause', { reasons: formatList(reasons) })}</p>` : '';

/**
 * A "passkey" button: a form that interactions/assets/passkey-sign-in.js shows, fills with the
 * assertion and posts to `action`. Hidden until then: without JavaScript there is no passkey, and
 * the rest of the page works without it. `autofill` lets the script also offer the passkey from
 * the email field's autofill list (conditional mediation). The script's own messages come with
 * the form, in the page's language.
 */
export function passkeyButton(view: { uid: string; action: string; label: string; autofill?: boolean }): SafeHtml {
  return html`<div data-passkey hidden>
    <form
      method="post"
      action="${view.action}"
      data-passkey-options="/interaction/${view.uid}/passkey/options"
      data-message-unavailable="${t('passkey.script.unavailable')}"
      data-message-not-confirmed="${t('passkey.script.notConfirmed')}"
      ${view.autofill ? html`data-passkey-autofill` : ''}
    >
      <input type="hidden" name="response" value="" />
      <p class="alert" role="alert" data-passkey-error hidden></p>
      <div class="actions"><button type="submit">${view.label}</button></div>
    </form>
  </div>`;
}

/**
 * The app demands the phishing-resistant ACR and this account has no passkey: no code can meet
 * that, so the page says how to get one and lets the person go back to the app (access_denied).
 */
export function passkeyRequiredPage({ uid, clientName, reasons, error }: PasskeyStepView): string {
  return layout({
    title: t('passkey.required.title'),
    body: html`<h1>${t('passkey.required.title')}</h1>
      <p class="lead">${tHtml('passkey.required.lead', { clientName })}</p>
      ${why(reasons)} ${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
      <p>
        ${tHtml('passkey.required.howTo', {
          clientName,
          link: (chunks) => html`<a href="/account">${chunks}</a>`,
        })}
      </p>
      <form method="post" action="/interaction/${uid}/abort">
        <div class="actions"><button type="submit" class="secondary">${t('passkey.back', { clientName })}</button></div>
      </form>`,
  });
}

/** The app demands the phishing-resistant ACR and the account has a passkey: only the passkey is offered. */
export function passkeyOnlyPage({
  uid,
  clientName,
  reasons,
  error,
  script,
}: PasskeyStepView & { script: ScriptTag }): string {
  return layout({
    title: t('passkey.only.title'),
    scripts: [script],
    body: html`<h1>${t('passkey.only.title')}</h1>
      <p class="lead">${tHtml('passkey.only.lead', { clientName })}</p>
      ${why(reasons)} ${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
      <noscript><p class="notice">${t('passkey.noScript')}</p></noscript>
      ${passkeyButton({ uid, action: `/interaction/${uid}/mfa/passkey`, label: t('passkey.use') })}
      <form method="post" action="/interaction/${uid}/abort">
        <div class="actions"><button type="submit" class="secondary">${t('passkey.back', { clientName })}</button></div>
      </form>`,
  });
}
