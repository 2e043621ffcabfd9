import { html, type SafeHtml } from '../views/html.js';
import type { FieldErrors } from './form-fields.js';

/**
 * The console's form controls: a visible label on every control, the help and the error tied to it
 * (aria-describedby, WCAG 2.2 §3.3.1 and §3.3.2), and the error next to the field it concerns.
 */
interface Described {
  readonly name: string;
  readonly label: string;
  readonly help?: string | SafeHtml;
  readonly errors: FieldErrors;
}

const idOf = (name: string) => `f-${name.replace(/_/g, '-')}`;

function describedBy({ name, help, errors }: Described): string {
  return [help ? `${idOf(name)}-help` : '', errors[name] ? `${idOf(name)}-error` : ''].filter(Boolean).join(' ');
}

function after({ name, help, errors }: Described): SafeHtml {
  return html`${help ? html`<p class="muted help" id="${idOf(name)}-help">${help}</p>` : ''}${
    errors[name] ? html`<p class="field-error" id="${idOf(name)}-error">${errors[name]}</p>` : ''
  }`;
}

/** A one-line text field. */
export function textField(
  field: Described & { readonly value: string; readonly type?: string; readonly required?: boolean },
): SafeHtml {
  const id = idOf(field.name);
  const by = describedBy(field);
  return html`<label for="${id}">${field.label}</label>
<input id="${id}" name="${field.name}" type="${field.type ?? 'text'}" value="${field.value}"${field.required ? html` required` : ''}${by ? html` aria-describedby="${by}"` : ''}${field.errors[field.name] ? html` aria-invalid="true"` : ''}>
${after(field)}`;
}

/** A list typed one entry per line. */
export function linesField(field: Described & { readonly value: string; readonly rows?: number }): SafeHtml {
  const id = idOf(field.name);
  const by = describedBy(field);
  return html`<label for="${id}">${field.label}</label>
<textarea id="${id}" name="${field.name}" rows="${field.rows ?? 3}" spellcheck="false"${by ? html` aria-describedby="${by}"` : ''}${field.errors[field.name] ? html` aria-invalid="true"` : ''}>${field.value}</textarea>
${after(field)}`;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
  /** What choosing it means, shown beside it. */
  readonly help?: string;
}

/** Radio buttons (one of) or checkboxes (any of), grouped under a legend. */
export function choiceGroup(
  field: Described & {
    readonly choices: readonly Choice[];
    readonly chosen: readonly string[];
    readonly multiple?: boolean;
  },
): SafeHtml {
  const by = describedBy(field);
  const type = field.multiple ? 'checkbox' : 'radio';
  return html`<fieldset${by ? html` aria-describedby="${by}"` : ''}>
<legend>${field.label}</legend>
${field.choices.map((choice) => {
  const id = `${idOf(field.name)}-${choice.value.replace(/[^A-Za-z0-9-]/g, '-')}`;
  return html`<label class="check" for="${id}"><input id="${id}" type="${type}" name="${field.name}" value="${choice.value}"${field.chosen.includes(choice.value) ? html` checked` : ''}><span>${choice.label}${choice.help ? html` <span class="muted">— ${choice.help}</span>` : ''}</span></label>`;
})}
${after(field)}
</fieldset>`;
}

/** One checkbox that stands alone (posted as `on`). */
export function checkbox(field: Described & { readonly checked: boolean }): SafeHtml {
  const id = idOf(field.name);
  const by = describedBy(field);
  return html`<label class="check" for="${id}"><input id="${id}" type="checkbox" name="${field.name}"${field.checked ? html` checked` : ''}${by ? html` aria-describedby="${by}"` : ''}><span>${field.label}</span></label>
${after(field)}`;
}

/** The form's own error (one that concerns no single field), at its top. */
export function formError(errors: FieldErrors): SafeHtml {
  const count = Object.keys(errors).filter((k) => k !== 'form').length;
  if (errors.form) return html`<p class="alert" role="alert">${errors.form}</p>`;
  if (count)
    return html`<p class="alert" role="alert">Nothing was saved: ${count === 1 ? 'one field needs' : `${count} fields need`} a change (see below).</p>`;
  return html``;
}
