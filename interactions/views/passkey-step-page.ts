import { html } from './html.js';
import { layout } from './layout.js';

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
