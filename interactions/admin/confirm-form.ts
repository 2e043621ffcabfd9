import { html, type SafeHtml } from '../views/html.js';

export interface ConfirmFormOptions {
  /** Where the form posts (a console address). */
  readonly action: string;
  /** What the button says: the action itself ("Reset two-step verification"). */
  readonly button: string;
  /** The sentence that names what will happen and to whom (the person's email). */
  readonly question: string;
  /**
   * For what cannot be undone: the person must type this exact text (their email) into a field
   * named `confirm`; the route compares it (typedConfirmation) before acting.
   */
  readonly typeToConfirm?: string;
  /** Hidden fields posted with it. */
  readonly fields?: Readonly<Record<string, string>>;
  readonly danger?: boolean;
}

/**
 * A confirmation before a destructive change, without JavaScript: a form whose text names the
 * person and the effect, and for a deletion a field where the email must be typed. A route checks
 * `confirmed(body)` (the checkbox or the typed text) and refuses anything else.
 */
export function confirmForm(o: ConfirmFormOptions): SafeHtml {
  const id = `confirm${o.action.replace(/[^A-Za-z0-9]+/g, '-')}`;
  return html`<form method="post" action="${o.action}" class="confirm">
${Object.entries(o.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<p>${o.question}</p>
${
  o.typeToConfirm !== undefined
    ? html`<label for="${id}">Type ${o.typeToConfirm} to confirm</label>
<input id="${id}" name="confirm" type="text" autocomplete="off" spellcheck="false" required>`
    : html`<label class="check"><input id="${id}" name="confirm" type="checkbox" value="yes" required> Yes, ${o.button.charAt(0).toLowerCase()}${o.button.slice(1)}</label>`
}
<div class="actions"><button type="submit" class="${o.danger === false ? '' : 'danger'}">${o.button}</button></div>
</form>`;
}

/** Whether a posted confirmation matches: the checkbox, or the exact text (an email, compared case-insensitively). */
export function confirmed(body: unknown, typed?: string): boolean {
  const value = (body as Record<string, unknown> | undefined)?.confirm;
  if (typeof value !== 'string') return false;
  if (typed === undefined) return value === 'yes';
  return value.trim().toLowerCase() === typed.toLowerCase();
}
