import { html, type SafeHtml } from '../views/html.js';
import { layout } from '../views/layout.js';
import { totpSetup, type TotpSetupView } from '../views/totp-setup.js';
import { recoveryCodesList } from '../views/recovery-codes.js';
import { utcTime } from '../views/utc-time.js';
import { formField } from '../views/form-field.js';
import { formatList, t, tHtml } from '../page/translate.js';
import type { PageScript } from '../../src/http/page-scripts.js';

type Scripts = ReadonlyArray<Pick<PageScript, 'src' | 'integrity'>>;

export interface RecentSignIn {
  readonly at: string;
  readonly app: string;
  readonly ip: string | null;
  readonly asked: boolean;
  /** Why it was asked, in words; empty when it was not. */
  readonly why: readonly string[];
}

export interface MfaConsoleView {
  readonly enabled: boolean;
  readonly recoveryCodesLeft: number;
  readonly devices: ReadonlyArray<{ id: string; browser: string; lastUsedAt: string; expiresAt: string }>;
  readonly recent: readonly RecentSignIn[];
  /** The sign-in is older than 5 minutes: setting up asks for the password again. */
  readonly needsPassword: boolean;
  readonly notice?: string;
  readonly error?: string;
  /** A refusal of one form, shown under its field (by id: password, regenerate-code, disable-code, disable-recovery). */
  readonly fieldErrors?: Readonly<Record<string, string>>;
  /** local-time.js, allowed in this response's CSP: times in the browser's zone. */
  readonly scripts?: Scripts;
}

const frame = (body: SafeHtml, scripts: Scripts = []) => layout({ title: t('mfa.title'), wide: true, body, scripts });
type Errors = Readonly<Record<string, string>>;
const codeInput = (id: string, errors: Errors) =>
  formField({
    id,
    name: 'code',
    label: t('mfa.code.label'),
    type: 'text',
    error: errors[id],
    focus: true,
    attributes: { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]*', maxlength: 8 },
  });

function recentTable(recent: readonly RecentSignIn[]): SafeHtml {
  if (recent.length === 0) return html`<p class="muted">${t('mfa.recent.none')}</p>`;
  return html`<table class="stack">
<thead><tr><th scope="col">${t('mfa.recent.when')}</th><th scope="col">${t('mfa.recent.app')}</th><th scope="col">${t('mfa.recent.from')}</th><th scope="col">${t('mfa.recent.secondStep')}</th></tr></thead>
<tbody>${recent.map(
    (
      r,
    ) => html`<tr><td>${utcTime(r.at)}</td><td data-label="${t('mfa.recent.app')}">${r.app}</td><td data-label="${t('mfa.recent.from')}">${r.ip ?? '—'}</td>
<td data-label="${t('mfa.recent.secondStep')}">${r.asked ? (r.why.length ? t('mfa.recent.asked', { reasons: formatList(r.why) }) : t('mfa.recent.askedRequired')) : t('mfa.recent.notAsked')}</td></tr>`,
  )}</tbody>
</table>`;
}

/** /account/mfa: the authenticator app, recovery codes, remembered browsers and recent sign-ins. */
export function mfaConsolePage(view: MfaConsoleView): string {
  const errors = view.fieldErrors ?? {};
  // A refusal for a field this page does not show (the password, when it is not asked) goes to the top.
  const shown = view.enabled
    ? ['regenerate-code', 'disable-code', 'disable-recovery']
    : view.needsPassword
      ? ['password']
      : [];
  const unplaced = Object.entries(errors)
    .filter(([field]) => !shown.includes(field))
    .map(([, message]) => message);
  const error = [view.error, ...unplaced].filter(Boolean).join(' ');
  const status = view.enabled
    ? html`<p class="lead">${tHtml('mfa.enabled.lead', {
        count: view.recoveryCodesLeft,
        left: (chunks) => html`<span data-testid="recovery-codes-left">${chunks}</span>`,
      })}</p>
<h2>${t('mfa.codes.heading')}</h2>
<form method="post" action="/account/mfa/recovery-codes">
${codeInput('regenerate-code', errors)}
<p class="muted">${t('mfa.codes.explain')}</p>
<div class="actions"><button type="submit">${t('mfa.codes.submit')}</button></div>
</form>
<h2>${t('mfa.devices.heading')}</h2>
${
  view.devices.length === 0
    ? html`<p class="muted">${t('mfa.devices.none')}</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">${t('mfa.devices.browser')}</th><th scope="col">${t('mfa.devices.lastUsed')}</th><th scope="col">${t('mfa.devices.until')}</th><th scope="col"></th></tr></thead>
<tbody>${view.devices.map(
        (
          d,
        ) => html`<tr><td>${d.browser}</td><td data-label="${t('mfa.devices.lastUsed')}">${utcTime(d.lastUsedAt)}</td><td data-label="${t('mfa.devices.until')}">${utcTime(d.expiresAt)}</td>
<td><form method="post" action="/account/mfa/devices/${d.id}/forget"><button type="submit" class="danger">${t('mfa.devices.forget')}</button></form></td></tr>`,
      )}</tbody></table>`
}
<h2>${t('mfa.disable.heading')}</h2>
<form method="post" action="/account/mfa/disable">
${codeInput('disable-code', errors)}
${formField({
  id: 'disable-recovery',
  name: 'recovery_code',
  label: t('mfa.disable.recoveryCode'),
  type: 'text',
  error: errors['disable-recovery'],
  focus: true,
  attributes: { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 32 },
})}
<p class="muted">${t('mfa.disable.explain')}</p>
<div class="actions"><button type="submit" class="danger">${t('mfa.disable.submit')}</button></div>
</form>`
    : html`<p class="lead">${t('mfa.setup.lead')}</p>
<form method="post" action="/account/mfa/setup">
${
  view.needsPassword
    ? formField({
        id: 'password',
        name: 'password',
        label: t('console.currentPassword'),
        type: 'password',
        error: errors.password,
        focus: true,
        attributes: { autocomplete: 'current-password', required: true },
      })
    : ''
}
<div class="actions"><button type="submit">${t('mfa.setup.submit')}</button></div>
</form>`;
  return frame(
    html`<h1>${t('mfa.title')}</h1>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
${status}
<h2>${t('mfa.recent.heading')}</h2>
${recentTable(view.recent)}
<p><a href="/account">${t('console.back')}</a></p>`,
    view.scripts,
  );
}

export function mfaSetupPage(view: Omit<TotpSetupView, 'action'>): string {
  return frame(html`<h1>${t('mfa.setup.title')}</h1>
${totpSetup({ ...view, action: '/account/mfa/totp' })}
<p><a href="/account/mfa">${t('console.cancel')}</a></p>`);
}

/** The new recovery codes; `scripts` holds recovery-codes.js (Copy, Download), allowed in this response's CSP. */
export function mfaCodesPage(codes: readonly string[], heading: string, scripts: Scripts = []): string {
  return frame(
    html`<h1>${heading}</h1>
${recoveryCodesList(codes)}
<p><a href="/account/mfa">${t('console.done')}</a></p>`,
    scripts,
  );
}
