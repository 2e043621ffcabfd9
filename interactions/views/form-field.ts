import { html, type SafeHtml } from './html.js';

/** Extra attributes of the input, written as given (names are ours, values escaped). */
type InputAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

export interface FormFieldOptions {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'email' | 'password';
  /** Shown again after a refusal; never for a password (it would sit in the page's HTML). */
  readonly value?: string;
  /** A line under the field that says what it takes. */
  readonly hint?: string;
  /** Why the field was refused, a sentence; shown right under it. */
  readonly error?: string;
  readonly attributes?: InputAttributes;
  /** The first refused field of the page: focused (and so scrolled to) when the page opens. */
  readonly focus?: boolean;
}

function attributesOf(attributes: InputAttributes): SafeHtml[] {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? html` ${name}` : html` ${name}="${value}"`));
}

/**
 * One labelled field with its hint and its error next to it: the input names both with
 * `aria-describedby` and is `aria-invalid` when refused, so a screen reader reads the reason with
 * the field (WCAG 2.2 SC 3.3.1 Error Identification, SC 3.3.3 Error Suggestion, SC 1.3.1).
 * The pages' forms (the account console's) share it so an error is never left at the top of a page.
 */
export function formField({
  id,
  name,
  label,
  type,
  value,
  hint,
  error,
  attributes = {},
  focus = false,
}: FormFieldOptions): SafeHtml {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ');
  return html`<label for="${id}">${label}</label>
<input id="${id}" name="${name}" type="${type}"${type !== 'password' && value !== undefined ? html` value="${value}"` : ''}${attributesOf({ ...attributes, autofocus: focus && Boolean(error) })}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}>
${error ? html`<p class="field-error" id="${errorId}">${error}</p>` : ''}
${hint ? html`<p class="muted help" id="${hintId}">${hint}</p>` : ''}`;
}

/** A refusal from the services ("the current password is not correct") as a sentence on a page. */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0]?.toUpperCase() + trimmed.slice(1);
  return /[.!?。！？]$/u.test(capital) ? capital : `${capital}.`;
}
