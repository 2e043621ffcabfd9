import { html, type SafeHtml } from '../views/html.js';
import { AUDIT_TYPES, type AuditEvent } from '../../src/audit/audit-service.js';
import { shownTime, type AdminScreen } from './admin-screen.js';
import type { FieldErrors } from './form-fields.js';
import { OUTCOMES, filterQuery, type AuditFilterValues } from './audit-filter-form.js';
import { explainAuditEvent } from '../../src/admin-console/explain-audit-event.js';
import { textField } from './form-controls.js';

export interface AuditLogView {
  readonly values: AuditFilterValues;
  readonly errors: FieldErrors;
  readonly events: readonly AuditEvent[];
  /** The current address of each account an event names without one. */
  readonly addresses?: ReadonlyMap<string, string>;
  /** The frame's page links (admin-pagination.ts). */
  readonly pager: SafeHtml;
}

function select(
  name: string,
  label: string,
  options: readonly string[],
  chosen: string,
  errors: FieldErrors,
): ReturnType<typeof html> {
  const id = `f-${name}`;
  return html`<div class="filter"><label for="${id}">${label}</label>
<select id="${id}" name="${name}"${errors[name] ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
<option value="">Any</option>
${options.map((o) => html`<option value="${o}"${o === chosen ? html` selected` : ''}>${o}</option>`)}
</select>
${errors[name] ? html`<p class="field-error" id="${id}-error">${errors[name]}</p>` : ''}</div>`;
}

/** The audit trail, newest first, filtered; each event with what it means. The form is a GET: a filtered view is a link. */
export function auditLogPage(view: AuditLogView): AdminScreen {
  const { values, errors } = view;
  const query = filterQuery(values);
  return {
    title: 'Audit log',
    section: 'audit',
    body: html`<form method="get" action="/admin/audit" class="filters" role="search" aria-label="Filter the audit log">
<div class="filter">${textField({ name: 'person', label: 'Person (email or account ID)', value: values.person, errors })}</div>
<div class="filter">${textField({ name: 'application', label: 'Application (client ID)', value: values.application, errors })}</div>
${select('type', 'Event type', AUDIT_TYPES, values.type, errors)}
${select('outcome', 'Outcome', OUTCOMES, values.outcome, errors)}
<div class="filter">${textField({ name: 'since', label: 'From (UTC)', type: 'datetime-local', value: values.since, errors })}</div>
<div class="filter">${textField({ name: 'until', label: 'Until (UTC)', type: 'datetime-local', value: values.until, errors })}</div>
<div class="actions"><button type="submit">Show events</button><a href="/admin/audit">Clear filters</a><a href="/admin/audit/export${query ? `?${query}` : ''}" download="audit.ndjson">Export these events (NDJSON)</a></div>
</form>
${
  view.events.length === 0
    ? html`<p class="muted" role="status">No event matches these filters.</p>`
    : html`<table class="stack audit">
<thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Person</th><th scope="col">Application</th><th scope="col">Why / what</th></tr></thead>
<tbody>${view.events.map(
        (e) => html`<tr>
<td data-label="When">${shownTime(e.lastAt)}</td>
<td data-label="Event"><code>${e.type}</code></td>
<td data-label="Outcome"><span class="outcome ${e.outcome}">${e.outcome}</span></td>
<td data-label="Person">${e.email ?? (e.accountId && view.addresses?.get(e.accountId)) ?? e.accountId ?? '—'}${e.ip ? html`<br><span class="muted">${e.ip}</span>` : ''}</td>
<td data-label="Application">${e.clientId ? html`<code class="id">${e.clientId}</code>` : '—'}</td>
<td data-label="Why / what">${explainAuditEvent(e) || '—'}</td>
</tr>`,
      )}</tbody></table>`
}
${view.pager}`,
  };
}
