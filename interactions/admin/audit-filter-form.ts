import { AUDIT_TYPES } from '../../src/audit/audit-service.js';
import type { AuditFilter } from '../../src/audit/audit-queries.js';
import { normalizeEmail } from '../../src/kernel/normalize-email.js';
import { choiceOf, type FieldErrors } from './form-fields.js';

export const OUTCOMES = ['success', 'failure', 'blocked'] as const;

/** The Audit log's filters as typed (the query string), to show them again and to link pages. */
export interface AuditFilterValues {
  readonly person: string;
  readonly application: string;
  readonly type: string;
  readonly outcome: string;
  /** `YYYY-MM-DDTHH:MM`, UTC, as a datetime-local field sends it. */
  readonly since: string;
  readonly until: string;
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

const one = (query: Record<string, unknown>, name: string): string | undefined => {
  const value = query[name];
  if (value === undefined) return '';
  return typeof value === 'string' && value.length <= 320 ? value.trim() : undefined;
};

/**
 * Reads the filters from the query: a person by email (or account id), an application by client
 * id, an event type and an outcome from their lists, a time range in UTC. Each problem is named
 * next to its field; the log is then shown unfiltered by that field.
 */
export function readAuditFilter(query: Record<string, unknown>): {
  values: AuditFilterValues;
  filter: AuditFilter;
  errors: FieldErrors;
} {
  const errors: FieldErrors = {};
  const field = (name: string) => {
    const value = one(query, name);
    if (value === undefined) errors[name] = 'This filter takes one value.';
    return value ?? '';
  };
  const values: AuditFilterValues = {
    person: field('person'),
    application: field('application'),
    type: field('type'),
    outcome: field('outcome'),
    since: field('since'),
    until: field('until'),
  };
  const time = (name: 'since' | 'until') => {
    if (!values[name]) return undefined;
    if (!LOCAL_TIME.test(values[name]) || Number.isNaN(Date.parse(`${values[name]}Z`))) {
      errors[name] = 'Give a date and time such as 2026-12-05T09:30 (UTC).';
      return undefined;
    }
    return new Date(`${values[name]}Z`);
  };
  if (values.type && !choiceOf(values.type, AUDIT_TYPES)) errors.type = 'Choose an event type from the list.';
  if (values.outcome && !choiceOf(values.outcome, OUTCOMES)) errors.outcome = 'Choose success, failure or blocked.';
  const since = time('since');
  const until = time('until');
  if (since && until && since >= until) errors.until = 'The end of the range must come after its start.';
  const person = values.person;
  const filter: AuditFilter = {
    ...(person ? (person.includes('@') ? { email: normalizeEmail(person) } : { accountId: person }) : {}),
    ...(values.application ? { clientId: values.application } : {}),
    ...(values.type && !errors.type ? { type: values.type } : {}),
    ...(values.outcome && !errors.outcome ? { outcome: values.outcome } : {}),
    ...(since ? { since } : {}),
    ...(until && !errors.until ? { until } : {}),
  };
  return { values, filter, errors };
}

/** The filters as a query string (only those set), for the next page and the export links. */
export function filterQuery(values: AuditFilterValues, extra: Record<string, string> = {}): string {
  const entries = Object.entries({ ...values, ...extra }).filter(([, v]) => v !== '');
  return new URLSearchParams(entries).toString();
}
