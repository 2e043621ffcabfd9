import { html, type SafeHtml } from '../views/html.js';
import type { EditableAttribute } from '../../src/directory/person-entry-service.js';
import { attributeText } from '../../src/directory/attribute-value.js';
import { asSentence } from '../views/form-field.js';
import { t } from '../page/translate.js';
import { attributeLabel } from './attribute-label.js';

export interface DirectoryView {
  readonly roles: readonly string[];
  readonly groups: readonly string[];
  readonly editable: readonly EditableAttribute[];
  /** What the person typed, shown again with the refusals (by attribute name). */
  readonly typed?: Readonly<Record<string, string>>;
  /** Each refusal in the page's language, by attribute name. */
  readonly fieldErrors?: Readonly<Record<string, string>>;
}

/** The field names of the form: `attr_` then the attribute's name (lower-case letters, digits, _). */
export const FIELD_PREFIX = 'attr_';

function field(attribute: EditableAttribute, view: DirectoryView): SafeHtml {
  const { definition } = attribute;
  const id = `${FIELD_PREFIX}${definition.name}`;
  const value = view.typed?.[definition.name] ?? (attribute.value === undefined ? '' : attributeText(attribute.value));
  const error = view.fieldErrors?.[definition.name];
  const hint =
    definition.type === 'string_list'
      ? definition.allowed
        ? t('directory.hint.listOf', { choices: definition.allowed.join(', ') })
        : t('directory.hint.list')
      : definition.type === 'number'
        ? t('directory.hint.number')
        : '';
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  const described = html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}`;
  // Each choice as [value posted, words shown]: a yes/no detail posts true/false but reads as words.
  const options = (choices: ReadonlyArray<readonly [string, string]>) =>
    html`<option value=""${value === '' ? ' selected' : ''}>—</option>${choices.map(
      ([choice, words]) => html`<option value="${choice}"${choice === value ? ' selected' : ''}>${words}</option>`,
    )}`;
  const control =
    definition.type === 'boolean'
      ? html`<select id="${id}" name="${id}"${described}>${options([
          ['true', t('directory.boolean.true')],
          ['false', t('directory.boolean.false')],
        ])}</select>`
      : definition.allowed !== null && definition.type !== 'string_list'
        ? html`<select id="${id}" name="${id}"${described}>${options(definition.allowed.map((choice) => [String(choice), String(choice)]))}</select>`
        : html`<input id="${id}" name="${id}" type="text" value="${value}"${described}>`;
  // As every console form (interactions/views/form-field.ts): the reason right under the field, then the hint.
  return html`<label for="${id}">${attributeLabel(definition)}</label>
${control}
${error ? html`<p class="field-error" id="${id}-error">${asSentence(error)}</p>` : ''}
${hint ? html`<p class="muted help" id="${id}-hint">${hint}</p>` : ''}`;
}

/** The person's roles and groups (read-only) and a form for the attributes they may edit. */
export function directorySection(view: DirectoryView): SafeHtml {
  return html`<h2>${t('directory.heading')}</h2>
<table><tbody>
<tr><th scope="row">${t('directory.roles')}</th><td>${view.roles.join(', ') || '—'}</td></tr>
<tr><th scope="row">${t('directory.groups')}</th><td>${view.groups.join(', ') || '—'}</td></tr>
</tbody></table>
<p class="muted">${t('directory.setByAdministrator')}</p>
${
  view.editable.length === 0
    ? ''
    : html`<h2>${t('directory.details.heading')}</h2>
<form method="post" action="/account/attributes">
${view.editable.map((attribute) => field(attribute, view))}
<p class="muted">${t('directory.details.explain')}</p>
<div class="actions"><button type="submit">${t('directory.details.submit')}</button></div>
</form>`
}`;
}
