import { html, type SafeHtml } from '../views/html.js';
import type { ClientSummary } from '../../src/clients/client-service.js';
import { shownTime, type AdminScreen } from './admin-screen.js';
import type { FieldErrors } from './form-fields.js';
import { formValuesOf, type ApplicationFormValues } from './application-form.js';
import { sharedFields } from './application-form-page.js';
import { formError, textField } from './form-controls.js';
import { confirmForm } from './confirm-form.js';

const kindOf = (c: ClientSummary) =>
  c.token_endpoint_auth_method === 'none' ? 'public' : `confidential (${c.token_endpoint_auth_method})`;

/** The applications, a page at a time, oldest first; `next` is the link to the following page. */
export function applicationListPage(view: {
  readonly clients: readonly ClientSummary[];
  /** The frame's page links (admin-pagination.ts). */
  readonly pager: SafeHtml;
  readonly notice?: string;
}): AdminScreen {
  return {
    title: 'Applications',
    section: 'applications',
    notice: view.notice,
    body: html`<p><a class="button" href="/admin/applications/new">New application</a></p>
${
  view.clients.length === 0
    ? html`<p class="muted">No application is registered yet.</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">Name</th><th scope="col">Client ID</th><th scope="col">Kind</th><th scope="col">APIs</th><th scope="col">Created</th></tr></thead>
<tbody>${view.clients.map(
        (c) => html`<tr>
<td data-label="Name"><a href="/admin/applications/${encodeURIComponent(c.client_id)}">${c.client_name || '(no name)'}</a></td>
<td data-label="Client ID"><code class="id">${c.client_id}</code></td>
<td data-label="Kind">${kindOf(c)}${c.first_party ? ', first-party' : ''}</td>
<td data-label="APIs">${Object.keys(c.resources).length || '—'}</td>
<td data-label="Created">${shownTime(c.created_at)}</td>
</tr>`,
      )}</tbody></table>`
}
${view.pager}`,
  };
}

export interface ApplicationView {
  readonly client: ClientSummary;
  /** The edit form: as stored, or as typed when it was refused. */
  readonly values?: ApplicationFormValues;
  readonly errors?: FieldErrors;
  /** Errors of the grant form, apart from the edit form's. */
  readonly grantErrors?: FieldErrors;
  readonly grantTyped?: { readonly resource: string; readonly scope: string };
  /** Registered APIs and their scopes, for the grant form. */
  readonly apis: ReadonlyArray<{ readonly identifier: string; readonly scopes: readonly string[] }>;
  readonly notice?: string;
}

/** One application: its settings to edit, its API grants, its secret to rotate, and its removal. */
export function applicationPage(view: ApplicationView): AdminScreen {
  const { client } = view;
  const base = `/admin/applications/${encodeURIComponent(client.client_id)}`;
  const errors = view.errors ?? {};
  const grantErrors = view.grantErrors ?? {};
  const values = view.values ?? formValuesOf(client);
  const grants = Object.entries(client.resources);
  const hasSecret = client.token_endpoint_auth_method.startsWith('client_secret');
  return {
    title: client.client_name || client.client_id,
    section: 'applications',
    notice: view.notice,
    body: html`<dl class="facts">
<dt>Client ID</dt><dd><code class="id">${client.client_id}</code></dd>
<dt>Kind</dt><dd>${kindOf(client)}, ${client.application_type}</dd>
<dt>Created</dt><dd>${shownTime(client.created_at)}</dd>
</dl>

<h2>Settings</h2>
${formError(errors)}
<form method="post" action="${base}" novalidate>
${textField({ name: 'name', label: 'Name', value: values.name, required: true, errors })}
${sharedFields({ values, errors, apis: [] }, true)}
<div class="actions"><button type="submit">Save settings</button></div>
</form>

<h2>API access</h2>
${
  grants.length === 0
    ? html`<p class="muted">This application may not ask tokens for any API.</p>`
    : html`<table class="stack"><thead><tr><th scope="col">API</th><th scope="col">Scopes</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>${grants.map(
        ([
          api,
          scopes,
        ]) => html`<tr><td data-label="API"><code class="id">${api}</code></td><td data-label="Scopes">${scopes.join(' ')}</td>
<td><form method="post" action="${base}/grants/remove"><input type="hidden" name="resource" value="${api}"><button type="submit" class="danger" aria-label="Remove access to ${api}">Remove access</button></form></td></tr>`,
      )}</tbody></table>`
}
${
  view.apis.length
    ? html`${grantErrors.form ? html`<p class="alert" role="alert">${grantErrors.form}</p>` : ''}
<form method="post" action="${base}/grants" novalidate>
<label for="f-grant-resource">API</label>
<select id="f-grant-resource" name="resource"${grantErrors.resource ? html` aria-invalid="true" aria-describedby="f-grant-resource-error"` : ''}>
${view.apis.map((a) => html`<option value="${a.identifier}"${view.grantTyped?.resource === a.identifier ? html` selected` : ''}>${a.identifier} (${a.scopes.join(' ')})</option>`)}
</select>
${grantErrors.resource ? html`<p class="field-error" id="f-grant-resource-error">${grantErrors.resource}</p>` : ''}
${textField({ name: 'scope', label: 'Scopes (space-separated; empty for all of the API’s)', value: view.grantTyped?.scope ?? '', errors: grantErrors })}
<div class="actions"><button type="submit" class="secondary">Grant access</button></div>
</form>`
    : html`<p class="muted">No API is registered: add one under APIs first.</p>`
}

<h2>Secret</h2>
${
  hasSecret
    ? html`<p class="muted">A new secret replaces the current one at once: the application stops working until it is given the new one.</p>
<form method="post" action="${base}/secret"><div class="actions"><button type="submit" class="secondary">Rotate the secret</button></div></form>`
    : html`<p class="muted">This application has no secret (${client.token_endpoint_auth_method}).</p>`
}

<h2>Remove</h2>
<p><a href="${base}/remove">Remove this application</a></p>`,
  };
}

/** Asks before removing: what goes with it, named. */
export function applicationRemovePage(client: ClientSummary, error?: string): AdminScreen {
  const base = `/admin/applications/${encodeURIComponent(client.client_id)}`;
  return {
    title: `Remove ${client.client_name || client.client_id}?`,
    section: 'applications',
    error,
    body: html`${confirmForm({
      action: `${base}/remove`,
      button: `Remove ${client.client_name || 'the application'}`,
      question: `People can no longer sign in at ${client.client_name || client.client_id}, and every token, code and consent it holds stops working now (RFC 7009 §2.1). This cannot be undone.`,
    })}
<p><a href="${base}">Keep it</a></p>`,
  };
}
