import { html } from './html.js';
import { layout } from './layout.js';
import type { DeviceCodeView, DeviceConfirmView, DeviceDoneView } from '../../src/http/screens.js';

/**
 * The page at the verification URI (RFC 8628 §3.3): one field for the code the device shows. The
 * form posts straight to the provider's code_verification endpoint with `confirm=yes`: the person
 * typed the code from their own device, so a second "is this your code?" page would only slow them
 * down (that page is kept for codes arriving in a link, verification_uri_complete: deviceConfirmPage).
 */
export function deviceCodePage({ action, xsrf, code, problem, notice }: DeviceCodeView): string {
  const form = xsrf
    ? html`<form method="post" action="${action}" novalidate>
<input type="hidden" name="xsrf" value="${xsrf}">
<input type="hidden" name="confirm" value="yes">
<label for="user_code">Code</label>
<input id="user_code" type="text" name="user_code" value="${code ?? ''}" autocomplete="off" autocapitalize="characters" spellcheck="false" autofocus>
<div class="actions"><button type="submit">Continue</button></div>
</form>`
    : html`<div class="actions"><a class="button" href="${action}">Enter a code</a></div>`;
  return layout({
    title: 'Connect a device',
    body: html`<h1>Connect a device</h1>
${problem ? html`<p class="alert" role="alert">${problem}</p>` : ''}
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p class="lead">Type the code shown on your TV, console or command line. It looks like <code>BCDF-GHJK</code>: letters only, without vowels.</p>
${form}`,
  });
}

/**
 * A code that came in a link (verification_uri_complete) is shown for the person to compare with
 * their device before anything else happens (RFC 8628 §3.3.1, §5.4): a link can come from someone else.
 */
export function deviceConfirmPage({ action, xsrf, userCode, clientName }: DeviceConfirmView): string {
  return layout({
    title: 'Check the code',
    body: html`<h1>Does your device show this code?</h1>
<p class="lead"><strong>${clientName}</strong> asks to connect a device with the code:</p>
<p><code class="secret">${userCode}</code></p>
<p class="muted">Continue only if your own device shows exactly this code. If you did not start this, cancel.</p>
<form id="device-confirm" method="post" action="${action}">
<input type="hidden" name="xsrf" value="${xsrf}">
<input type="hidden" name="user_code" value="${userCode}">
</form>
<div class="actions">
<button type="submit" form="device-confirm" name="abort" value="yes" class="secondary">Cancel</button>
<button type="submit" form="device-confirm" name="confirm" value="yes">Continue</button>
</div>`,
  });
}

/** The end of the person's part: the device gets (or is refused) its tokens at its next poll. */
export function deviceDonePage({ clientName, approved }: DeviceDoneView): string {
  const title = approved ? 'Your device is connected' : 'Access denied';
  const text = approved
    ? html`${clientName} on your device is now signed in. You can close this page and go back to your device.`
    : html`The device was not connected${clientName ? html` to ${clientName}` : ''}. You can close this page.`;
  return layout({ title, body: html`<h1>${title}</h1><p class="lead">${text}</p>` });
}
