import { html, type SafeHtml } from '../views/html.js';
import { TOKEN_CLAIMS, type Resource } from '../../src/resources/resource-service.js';
import { shownTime, type AdminScreen } from './admin-screen.js';
import type { FieldErrors } from './form-fields.js';
import type { ApiFormValues } from './api-form.js';
import { checkbox, choiceGroup, formError, linesField, textField } from './form-controls.js';
import { confirmForm } from './confirm-form.js';

/** The APIs, a page at a time, oldest first. */
export function apiListPage(view: {
  readonly apis: readonly Resource[];
  readonly builtIn: string;
  /** The frame's page links (admin-pagination.ts). */
  readonly pager: SafeHtml;
  readonly notice?: string;
}): AdminScreen {
  return {
    title: 'APIs',
    section: 'apis',
    notice: view.notice,
    body: html`<p><a class="button" href="/admin/apis/new">New API</a></p>
<table class="stack">
<thead><tr><th scope="col">Identifier</th><th scope="col">Scopes</th><th scope="col">Tokens</th><th scope="col">Created</th></tr></thead>
<tbody>${view.apis.map(
      (r) => html`<tr>
<td data-label="Identifier"><a href="/admin/apis/${encodeURIComponent(r.identifier)}"><code class="id">${r.identifier}</code></a>${r.identifier === view.builtIn ? html` <span class="muted">(built in)</span>` : ''}</td>
<td data-label="Scopes">${r.scopes.join(' ')}</td>
<td data-label="Tokens">${r.tokenFormat}, ${r.accessTokenTtl} s${r.rbac ? ', RBAC' : ''}</td>
<td data-label="Created">${shownTime(r.createdAt)}</td>
</tr>`,
    )}</tbody></table>
${view.pager}`,
  };
}

/** Scopes, token format and lifetime, RBAC and token claims, each explained. */
function settingsFields(values: ApiFormValues, errors: FieldErrors, builtIn: boolean): SafeHtml {
  return html`${
    builtIn
      ? html`<p class="muted">The built-in management API keeps its scopes (${values.scope}) and format; only its token lifetime changes.</p>`
      : html`${linesField({ name: 'scope', label: 'Scopes (space- or line-separated)', value: values.scope, errors, rows: 2, help: 'What applications may ask for, such as read:invoices. openid and offline_access are OpenID Connect’s.' })}
${choiceGroup({
  name: 'token_format',
  label: 'Access token format',
  errors,
  chosen: [values.tokenFormat],
  choices: [
    { value: 'jwt', label: 'JWT', help: 'signed (RFC 9068): the API checks it alone, with our public keys' },
    {
      value: 'opaque',
      label: 'Opaque',
      help: 'a reference the API looks up at introspection (RFC 7662): revocation takes effect at once',
    },
  ],
})}`
  }
${textField({ name: 'name', label: 'Name people see (optional)', value: values.name, errors, help: 'Shown on the consent page and among a person’s connected apps, such as Notes API. Without it, the identifier.' })}
${linesField({ name: 'scope_descriptions', label: 'What each scope lets an app do (optional)', value: values.scopeDescriptions, errors, rows: 3, help: 'One a line: read = Read your notes. People see “Notes API: Read your notes”; a scope without one is shown by its name.' })}
${textField({ name: 'ttl', label: 'Access token lifetime (seconds)', value: values.ttl, errors, help: 'How long a token works once issued; a stolen one works this long too.' })}
${
  builtIn
    ? ''
    : html`${checkbox({ name: 'rbac', label: 'Role-based access: a person’s token carries only the scopes their roles permit', checked: values.rbac, errors })}
${choiceGroup({
  name: 'token_claims',
  label: 'Person claims in its access tokens',
  multiple: true,
  errors,
  chosen: values.tokenClaims,
  choices: TOKEN_CLAIMS.map((c) => ({ value: c, label: c })),
})}`
}`;
}

export function apiCreatePage(view: { readonly values: ApiFormValues; readonly errors: FieldErrors }): AdminScreen {
  const { values, errors } = view;
  return {
    title: 'New API',
    section: 'apis',
    body: html`<p class="lead">An API (a resource server, RFC 8707) that applications may ask access tokens for. It gets its own client ID and secret, for introspection.</p>
${formError(errors)}
<form method="post" action="/admin/apis" novalidate>
${textField({ name: 'identifier', label: 'Identifier (its URL)', value: values.identifier, required: true, errors, help: 'An absolute https URL without a fragment (http only for localhost). It cannot change later.' })}
${settingsFields(values, errors, false)}
<div class="actions"><button type="submit">Create API</button></div>
</form>`,
  };
}

export function apiPage(view: {
  readonly api: Resource;
  readonly builtIn: boolean;
  readonly values: ApiFormValues;
  readonly errors?: FieldErrors;
  readonly notice?: string;
}): AdminScreen {
  const { api } = view;
  const errors = view.errors ?? {};
  const base = `/admin/apis/${encodeURIComponent(api.identifier)}`;
  return {
    title: api.identifier,
    section: 'apis',
    notice: view.notice,
    body: html`<dl class="facts"><dt>Its client ID (introspection)</dt><dd><code class="id">${api.clientId}</code></dd><dt>Created</dt><dd>${shownTime(api.createdAt)}</dd></dl>
<h2>Settings</h2>
${formError(errors)}
<form method="post" action="${base}" novalidate>
${settingsFields(view.values, errors, view.builtIn)}
<div class="actions"><button type="submit">Save settings</button></div>
</form>
${view.builtIn ? '' : html`<h2>Remove</h2><p><a href="${base}/remove">Remove this API</a></p>`}`,
  };
}

export function apiRemovePage(api: Resource, error?: string): AdminScreen {
  const base = `/admin/apis/${encodeURIComponent(api.identifier)}`;
  return {
    title: `Remove ${api.identifier}?`,
    section: 'apis',
    error,
    body: html`${confirmForm({
      action: `${base}/remove`,
      button: 'Remove the API',
      question:
        'Its own client goes with it, and no application may ask tokens for it any more (their grants for it are removed). Tokens already issued work until they expire.',
    })}
<p><a href="${base}">Keep it</a></p>`,
  };
}
