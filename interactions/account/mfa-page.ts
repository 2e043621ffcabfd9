import { html, type SafeHtml } from '../views/html.js';
import { layout } from '../views/layout.js';
import { totpSetup, type TotpSetupView } from '../views/totp-setup.js';
import { recoveryCodesList } from '../views/recovery-codes.js';
import { utcTime } from '../views/utc-time.js';
import { formField } from '../views/form-field.js';
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

const frame = (body: SafeHtml, scripts: Scripts = []) =>
  layout({ title: 'Two-step verification', wide: true, body, scripts });
type Errors = Readonly<Record<string, string>>;
const codeInput = (id: string, errors: Errors) =>
  formField({
    id,
    name: 'code',
    label: 'Authentication code',
    type: 'text',
    error: errors[id],
    focus: true,
    attributes: { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]*', maxlength: 8 },
  });

function recentTable(recent: readonly RecentSignIn[]): SafeHtml {
  if (recent.length === 0) return html`<p class="muted">No sign-ins yet.</p>`;
  return html`<table class="stack">
<thead><tr><th scope="col">When</th><th scope="col">App</th><th scope="col">From</th><th scope="col">Second step</th></tr></thead>
<tbody>${recent.map(
    (r) => html`<tr><td>${utcTime(r.at)}</td><td data-label="App">${r.app}</td><td data-label="From">${r.ip ?? '—'}</td>
<td data-label="Second step">${r.asked ? html`Asked: ${r.why.join(', ') || 'required'}` : 'Not asked'}</td></tr>`,
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
    ? html`<p class="lead">An authenticator app is set up. <span data-testid="recovery-codes-left">${view.recoveryCodesLeft}</span> recovery codes are left.</p>
<h2>Recovery codes</h2>
<form method="post" action="/account/mfa/recovery-codes">
${codeInput('regenerate-code', errors)}
<p class="muted">New codes replace every old one.</p>
<div class="actions"><button type="submit">Get new recovery codes</button></div>
</form>
<h2>Remembered browsers</h2>
${
  view.devices.length === 0
    ? html`<p class="muted">No browser skips the second step.</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">Browser</th><th scope="col">Last used</th><th scope="col">Until</th><th scope="col"></th></tr></thead>
<tbody>${view.devices.map(
        (
          d,
        ) => html`<tr><td>${d.browser}</td><td data-label="Last used">${utcTime(d.lastUsedAt)}</td><td data-label="Until">${utcTime(d.expiresAt)}</td>
<td><form method="post" action="/account/mfa/devices/${d.id}/forget"><button type="submit" class="danger">Forget</button></form></td></tr>`,
      )}</tbody></table>`
}
<h2>Turn off</h2>
<form method="post" action="/account/mfa/disable">
${codeInput('disable-code', errors)}
${formField({
  id: 'disable-recovery',
  name: 'recovery_code',
  label: 'Or a recovery code',
  type: 'text',
  error: errors['disable-recovery'],
  focus: true,
  attributes: { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 32 },
})}
<p class="muted">Turning it off signs you out everywhere else.</p>
<div class="actions"><button type="submit" class="danger">Turn off two-step verification</button></div>
</form>`
    : html`<p class="lead">Add a second step to your sign-ins with an authenticator app on your phone.</p>
<form method="post" action="/account/mfa/setup">
${
  view.needsPassword
    ? formField({
        id: 'password',
        name: 'password',
        label: 'Current password',
        type: 'password',
        error: errors.password,
        focus: true,
        attributes: { autocomplete: 'current-password', required: true },
      })
    : ''
}
<div class="actions"><button type="submit">Set up authenticator app</button></div>
</form>`;
  return frame(
    html`<h1>Two-step verification</h1>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
${status}
<h2>Recent sign-ins</h2>
${recentTable(view.recent)}
<p><a href="/account">Back to your account</a></p>`,
    view.scripts,
  );
}

export function mfaSetupPage(view: Omit<TotpSetupView, 'action'>): string {
  return frame(html`<h1>Set up your authenticator app</h1>
${totpSetup({ ...view, action: '/account/mfa/totp' })}
<p><a href="/account/mfa">Cancel</a></p>`);
}

/** The new recovery codes; `scripts` holds recovery-codes.js (Copy, Download), allowed in this response's CSP. */
export function mfaCodesPage(codes: readonly string[], heading: string, scripts: Scripts = []): string {
  return frame(
    html`<h1>${heading}</h1>
${recoveryCodesList(codes)}
<p><a href="/account/mfa">Done</a></p>`,
    scripts,
  );
}
