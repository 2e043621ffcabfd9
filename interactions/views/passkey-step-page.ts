import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import type { PageScript } from '../../src/http/page-scripts.js';

export type ScriptTag = Pick<PageScript, 'src' | 'integrity'>;

export interface PasskeyStepView {
  readonly uid: string;
  readonly clientName: string;
  /** Why it is asked, in words ("the app asked for a passkey"). */
  readonly reasons: readonly string[];
  readonly error?: string;
}

const why = (reasons: readonly string[]) =>
  reasons.length ? html`<p class="muted">Asked because: ${reasons.join(', ')}.</p>` : '';

/**
 * A "passkey" button: a form that interactions/assets/passkey-sign-in.js shows, fills with the
 * assertion and posts to `action`. Hidden until then: without JavaScript there is no passkey, and
 * the rest of the page works without it. `autofill` lets the script also offer the passkey from
 * the email field's autofill list (conditional mediation).
 */
export function passkeyButton(view: { uid: string; action: string; label: string; autofill?: boolean }): SafeHtml {
  return html`<div data-passkey hidden>
    <form
      method="post"
      action="${view.action}"
      data-passkey-options="/interaction/${view.uid}/passkey/options"
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
    title: 'A passkey is required',
    body: html`<h1>A passkey is required</h1>
      <p class="lead"><strong>${clientName}</strong> asks you to sign in with a passkey.</p>
      ${why(reasons)} ${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
      <p>
        This account has no passkey yet. Add one in <a href="/account">your account</a>, then sign in to ${clientName}
        again.
      </p>
      <form method="post" action="/interaction/${uid}/abort">
        <div class="actions"><button type="submit" class="secondary">Back to ${clientName}</button></div>
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
    title: 'Sign in with your passkey',
    scripts: [script],
    body: html`<h1>Sign in with your passkey</h1>
      <p class="lead"><strong>${clientName}</strong> asks you to confirm it is you with a passkey.</p>
      ${why(reasons)} ${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
      <noscript><p class="notice">A passkey needs JavaScript. Turn it on for this page and reload it.</p></noscript>
      ${passkeyButton({ uid, action: `/interaction/${uid}/mfa/passkey`, label: 'Use a passkey' })}
      <form method="post" action="/interaction/${uid}/abort">
        <div class="actions"><button type="submit" class="secondary">Back to ${clientName}</button></div>
      </form>`,
  });
}
