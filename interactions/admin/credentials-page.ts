import { html } from '../views/html.js';
import type { AdminScreen } from './admin-screen.js';

export interface CredentialsView {
  readonly section: AdminScreen['section'];
  readonly title: string;
  /** What the credentials are for, in a sentence. */
  readonly lead: string;
  readonly clientId: string;
  /** Absent for a public application: it has none. */
  readonly clientSecret?: string;
  /** Where to go once they are stored. */
  readonly next: string;
}

/**
 * Credentials shown this once: only a hash of the secret is kept (client-secret.ts). Each value
 * sits in a read-only field, selectable by hand; copy-credential.js adds a Copy button beside it.
 */
export function credentialsPage(view: CredentialsView): AdminScreen {
  const value = (id: string, label: string, text: string) =>
    html`<label for="${id}">${label}</label>
<div class="copyable"><input id="${id}" type="text" value="${text}" readonly spellcheck="false" autocomplete="off"><button type="button" class="secondary copy" data-copy="${id}" hidden>Copy ${label}</button></div>`;
  return {
    title: view.title,
    section: view.section,
    body: html`<p class="lead">${view.lead}</p>
${value('client-id', 'client ID', view.clientId)}
${
  view.clientSecret
    ? html`${value('client-secret', 'client secret', view.clientSecret)}
<p class="notice" role="status">Store the secret now: it is not shown again. Only a hash of it is kept.</p>`
    : html`<p class="muted">A public application has no secret.</p>`
}
<p><a class="button" href="${view.next}">I have stored them</a></p>`,
  };
}
