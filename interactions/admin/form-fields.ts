/**
 * Reading the console's posted forms: each field to its own value or its own error, so a mistake
 * comes back as the same form with the message next to the field that caused it (never a 500).
 */

/** What a form said, field by field, as the browser sent it (strings, or lists of strings for checkboxes). */
export type PostedForm = Readonly<Record<string, unknown>>;

/** Errors by field name; `form` is for what belongs to no one field. */
export type FieldErrors = Record<string, string>;

/** A field the form posts once: its text, or '' when absent. A repeated or non-text value is none of ours. */
export function textOf(form: PostedForm, name: string, max = 2000): string | undefined {
  const value = form[name];
  if (value === undefined) return '';
  if (typeof value !== 'string' || value.length > max) return undefined;
  return value.trim();
}

/** A checkbox group (or one checkbox): the values ticked. */
export function valuesOf(form: PostedForm, name: string): string[] | undefined {
  const value = form[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v): v is string => typeof v === 'string' && v.length <= 2000)) return undefined;
  return list.map((v) => v.trim()).filter(Boolean);
}

/** A textarea of one entry per line (or separated by spaces): the entries, deduplicated. */
export function linesOf(text: string): string[] {
  return [...new Set(text.split(/\s+/).filter(Boolean))];
}

/** `value` if it is one of `choices`. */
export function choiceOf<T extends string>(value: string | undefined, choices: readonly T[]): T | undefined {
  return choices.find((choice) => choice === value);
}
