import { html, type SafeHtml } from '../views/html.js';
import { layout } from '../views/layout.js';
import { recoveryCodesList } from '../views/recovery-codes.js';
import { utcTime } from '../views/utc-time.js';
import { t } from '../page/translate.js';
import type { PageScript } from '../../src/http/page-scripts.js';
import { PASSKEY_NAME_MAX } from '../../src/passkeys/authenticator-names.js';

export interface PasskeyRow {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  /** Synced to the person's other devices (backed up, WebAuthn §6.1.3 BS flag), or bound to one device. */
  readonly synced: boolean;
}

export interface PasskeysView {
  readonly passkeys: readonly PasskeyRow[];
  /** The sign-in is older than 5 minutes: adding and removing ask for the password again. */
  readonly needsPassword: boolean;
  /** passkey-console.js, allowed in this response's CSP; the page works without it but for adding. */
  readonly script: Pick<PageScript, 'src' | 'integrity'>;
  /** local-time.js, allowed in this response's CSP: times in the browser's zone. */
  readonly localTime?: Pick<PageScript, 'src' | 'integrity'>;
  readonly notice?: string;
  readonly error?: string;
}

type Scripts = ReadonlyArray<Pick<PageScript, 'src' | 'integrity'>>;
const frame = (body: SafeHtml, scripts: Scripts = []) =>
  layout({ title: t('passkeys.title'), wide: true, body, scripts });

const passwordInput = (id: string, needed: boolean) =>
  needed
    ? html`<label for="${id}">${t('console.currentPassword')}</label>
        <input id="${id}" name="password" type="password" autocomplete="current-password" required />`
    : '';

function passkeyTable(view: PasskeysView): SafeHtml {
  if (view.passkeys.length === 0) return html`<p class="muted">${t('passkeys.none')}</p>`;
  return html`<table class="stack">
    <thead>
      <tr>
        <th scope="col">${t('passkeys.name')}</th>
        <th scope="col">${t('passkeys.added')}</th>
        <th scope="col">${t('passkeys.lastUsed')}</th>
        <th scope="col">${t('passkeys.kind')}</th>
        <th scope="col"></th>
      </tr>
    </thead>
    <tbody>
      ${view.passkeys.map(
        (p) =>
          html`<tr data-testid="passkey">
            <td>${p.name}</td>
            <td data-label="${t('passkeys.added')}">${utcTime(p.createdAt)}</td>
            <td data-label="${t('passkeys.lastUsed')}">${utcTime(p.lastUsedAt, t('console.never'))}</td>
            <td data-label="${t('passkeys.kind')}">${t(p.synced ? 'passkeys.synced' : 'passkeys.deviceOnly')}</td>
            <td>
              <form method="post" action="/account/passkeys/${p.id}/rename">
                <label for="rename-${p.id}">${t('passkeys.rename.label', { name: p.name })}</label>
                <input id="rename-${p.id}" name="name" type="text" maxlength="${PASSKEY_NAME_MAX}" value="${p.name}" required />
                <button type="submit" class="secondary">${t('passkeys.rename.submit')}</button>
              </form>
              <form method="post" action="/account/passkeys/${p.id}/remove">
                ${passwordInput(`remove-password-${p.id}`, view.needsPassword)}
                <button type="submit" class="danger" aria-label="${t('passkeys.remove.label', { name: p.name })}">
                  ${t('passkeys.remove.submit')}
                </button>
              </form>
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** /account/passkeys: the person's passkeys, and adding, renaming and removing them. */
export function passkeysPage(view: PasskeysView): string {
  return frame(
    html`<h1>${t('passkeys.title')}</h1>
      ${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
      ${view.error ? html`<p class="alert" role="alert">${view.error}</p>` : ''}
      <p class="lead">${t('passkeys.lead')}</p>
      ${passkeyTable(view)}
      <h2>${t('passkeys.add.heading')}</h2>
      <form
        id="add-passkey"
        method="post"
        action="/account/passkeys/add"
        data-not-added="${t('passkeys.error.notAdded')}"
        data-not-created="${t('passkeys.error.notCreated')}"
      >
        <p id="add-passkey-error" class="alert" role="alert" hidden></p>
        <label for="passkey-name">${t('passkeys.add.name')}</label>
        <input id="passkey-name" name="name" type="text" maxlength="${PASSKEY_NAME_MAX}" placeholder="${t('passkeys.add.placeholder')}" />
        ${passwordInput('add-password', view.needsPassword)}
        <input type="hidden" name="response" value="" />
        <p class="muted">${t('passkeys.add.explain')}</p>
        <div class="actions"><button type="submit">${t('passkeys.add.submit')}</button></div>
      </form>
      <p><a href="/account">${t('console.back')}</a></p>`,
    view.localTime ? [view.script, view.localTime] : [view.script],
  );
}

/** After the first second factor: the recovery codes, shown once (as for the authenticator app). */
export function passkeyAddedPage(codes: readonly string[] | undefined, scripts: Scripts = []): string {
  return frame(
    html`<h1>${t('passkeys.ready.title')}</h1>
      ${codes?.length ? recoveryCodesList(codes) : html`<p class="lead">${t('passkeys.ready.lead')}</p>`}
      <p><a href="/account/passkeys">${t('console.done')}</a></p>`,
    scripts,
  );
}
