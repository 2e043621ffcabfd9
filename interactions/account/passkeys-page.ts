import { html, type SafeHtml } from '../views/html.js';
import { layout } from '../views/layout.js';
import { recoveryCodesList } from '../views/recovery-codes.js';
import { utcTime } from '../views/utc-time.js';
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
const frame = (body: SafeHtml, scripts: Scripts = []) => layout({ title: 'Passkeys', wide: true, body, scripts });

const passwordInput = (id: string, needed: boolean) =>
  needed
    ? html`<label for="${id}">Current password</label>
        <input id="${id}" name="password" type="password" autocomplete="current-password" required />`
    : '';

function passkeyTable(view: PasskeysView): SafeHtml {
  if (view.passkeys.length === 0) return html`<p class="muted">You have no passkeys yet.</p>`;
  return html`<table class="stack">
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Added</th>
        <th scope="col">Last used</th>
        <th scope="col">Kind</th>
        <th scope="col"></th>
      </tr>
    </thead>
    <tbody>
      ${view.passkeys.map(
        (p) =>
          html`<tr data-testid="passkey">
            <td>${p.name}</td>
            <td data-label="Added">${utcTime(p.createdAt)}</td>
            <td data-label="Last used">${utcTime(p.lastUsedAt, 'Never')}</td>
            <td data-label="Kind">${p.synced ? 'Synced' : 'This device only'}</td>
            <td>
              <form method="post" action="/account/passkeys/${p.id}/rename">
                <label for="rename-${p.id}">New name for ${p.name}</label>
                <input id="rename-${p.id}" name="name" type="text" maxlength="${PASSKEY_NAME_MAX}" value="${p.name}" required />
                <button type="submit" class="secondary">Rename</button>
              </form>
              <form method="post" action="/account/passkeys/${p.id}/remove">
                ${passwordInput(`remove-password-${p.id}`, view.needsPassword)}
                <button type="submit" class="danger" aria-label="Remove ${p.name}">Remove</button>
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
    html`<h1>Passkeys</h1>
      ${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
      ${view.error ? html`<p class="alert" role="alert">${view.error}</p>` : ''}
      <p class="lead">
        A passkey signs you in with your device's screen lock or security key instead of a code. It only works on this
        site, so it cannot be phished.
      </p>
      ${passkeyTable(view)}
      <h2>Add a passkey</h2>
      <form id="add-passkey" method="post" action="/account/passkeys/add">
        <p id="add-passkey-error" class="alert" role="alert" hidden></p>
        <label for="passkey-name">Name (optional)</label>
        <input id="passkey-name" name="name" type="text" maxlength="${PASSKEY_NAME_MAX}" placeholder="e.g. Work laptop" />
        ${passwordInput('add-password', view.needsPassword)}
        <input type="hidden" name="response" value="" />
        <p class="muted">
          Your browser or device asks how to keep it. Removing a passkey signs you out everywhere else.
        </p>
        <div class="actions"><button type="submit">Add a passkey</button></div>
      </form>
      <p><a href="/account">Back to your account</a></p>`,
    view.localTime ? [view.script, view.localTime] : [view.script],
  );
}

/** After the first second factor: the recovery codes, shown once (as for the authenticator app). */
export function passkeyAddedPage(codes: readonly string[] | undefined, scripts: Scripts = []): string {
  return frame(
    html`<h1>Your passkey is ready</h1>
      ${codes?.length ? recoveryCodesList(codes) : html`<p class="lead">You can now use it to sign in.</p>`}
      <p><a href="/account/passkeys">Done</a></p>`,
    scripts,
  );
}
