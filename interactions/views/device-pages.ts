import { html } from './html.js';
import { layout } from './layout.js';
import { t, tHtml } from '../page/translate.js';
import type { DeviceCodeProblem, DeviceCodeView, DeviceConfirmView, DeviceDoneView } from '../../src/http/screens.js';
import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { waitOf } from '../../src/kernel/wait-in-words.js';

/** Each refusal of a typed code in the page's language (`device.problem.*`). */
const PROBLEMS: Readonly<Record<Exclude<DeviceCodeProblem, 'throttled'>, MessageKey>> = {
  NoCodeError: 'device.problem.noCode',
  NotFoundError: 'device.problem.notFound',
  ExpiredError: 'device.problem.expired',
  AlreadyUsedError: 'device.problem.used',
  unchecked: 'device.problem.unchecked',
  stale: 'device.problem.stale',
};

/**
 * The page at the verification URI (RFC 8628 §3.3): one field for the code the device shows. The
 * form posts straight to the provider's code_verification endpoint with `confirm=yes`: the person
 * typed the code from their own device, so a second "is this your code?" page would only slow them
 * down (that page is kept for codes arriving in a link, verification_uri_complete: deviceConfirmPage).
 */
export function deviceCodePage({
  action,
  xsrf,
  code,
  problem: english,
  problemKind,
  retryAfterSeconds,
  notice,
}: DeviceCodeView): string {
  const problem =
    problemKind === 'throttled'
      ? t('device.problem.throttled', waitOf(retryAfterSeconds ?? 1))
      : problemKind && Object.hasOwn(PROBLEMS, problemKind)
        ? t(PROBLEMS[problemKind])
        : english;
  const form = xsrf
    ? html`<form method="post" action="${action}" novalidate>
<input type="hidden" name="xsrf" value="${xsrf}">
<input type="hidden" name="confirm" value="yes">
<label for="user_code">${t('device.code.label')}</label>
<input id="user_code" type="text" name="user_code" value="${code ?? ''}" autocomplete="off" autocapitalize="characters" spellcheck="false" autofocus>
<div class="actions"><button type="submit">${t('device.code.submit')}</button></div>
</form>`
    : html`<div class="actions"><a class="button" href="${action}">${t('device.code.enter')}</a></div>`;
  return layout({
    title: t('device.code.title'),
    body: html`<h1>${t('device.code.title')}</h1>
${problem ? html`<p class="alert" role="alert">${problem}</p>` : ''}
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p class="lead">${tHtml('device.code.lead', { code: (chunks) => html`<code>${chunks}</code>` })}</p>
${form}`,
  });
}

/**
 * A code that came in a link (verification_uri_complete) is shown for the person to compare with
 * their device before anything else happens (RFC 8628 §3.3.1, §5.4): a link can come from someone else.
 */
export function deviceConfirmPage({ action, xsrf, userCode, clientName }: DeviceConfirmView): string {
  return layout({
    title: t('device.confirm.title'),
    body: html`<h1>${t('device.confirm.heading')}</h1>
<p class="lead">${tHtml('device.confirm.lead', { clientName })}</p>
<p><code class="secret">${userCode}</code></p>
<p class="muted">${t('device.confirm.warning')}</p>
<form id="device-confirm" method="post" action="${action}">
<input type="hidden" name="xsrf" value="${xsrf}">
<input type="hidden" name="user_code" value="${userCode}">
</form>
<div class="actions">
<button type="submit" form="device-confirm" name="abort" value="yes" class="secondary">${t('device.confirm.cancel')}</button>
<button type="submit" form="device-confirm" name="confirm" value="yes">${t('device.confirm.submit')}</button>
</div>`,
  });
}

/** The end of the person's part: the device gets (or is refused) its tokens at its next poll. */
export function deviceDonePage({ clientName, approved }: DeviceDoneView): string {
  const title = approved ? t('device.done.connected') : t('device.done.denied');
  const text = approved
    ? t('device.done.connectedLead', { clientName: clientName ?? '' })
    : clientName
      ? t('device.done.deniedLead', { clientName })
      : t('device.done.deniedUnnamed');
  return layout({ title, body: html`<h1>${title}</h1><p class="lead">${text}</p>` });
}
