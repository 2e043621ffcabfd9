import { RequestLanguage } from '../../../interactions/page/page-language.js';
import { pageContextOf, withPageContext } from '../../../interactions/page/page-context.js';
import { refusalText } from '../../../interactions/refusal-text.js';
import { createMessageCatalogue } from '../../../src/i18n/message-catalogue.js';
import { checkAttributeValue, parseAttributeText } from '../../../src/directory/attribute-value.js';
import type { AttributeDefinition } from '../../../src/directory/attribute-value.js';
import { parseProfileClaim } from '../../../src/directory/profile-claim-values.js';
import type { Locale } from '../../../src/kernel/supported-locales.js';

const catalogue = createMessageCatalogue({ strict: true });

/** The words a page in `locale` gives the refusal of `attempt`, naming the field `field`. */
function refusalIn(locale: Locale, attempt: () => unknown, field?: string): string {
  const page = pageContextOf(
    { productName: 'Gatehouse' },
    new RequestLanguage(catalogue, locale, () => ({})),
    () => '/',
  );
  try {
    attempt();
  } catch (error) {
    return withPageContext(page, () => refusalText(error, undefined, { field }));
  }
  throw new Error('the value was accepted');
}

const attribute = (over: Partial<AttributeDefinition>): AttributeDefinition => ({
  name: 'skills',
  type: 'string',
  pattern: null,
  allowed: null,
  selfEditable: true,
  description: '',
  ...over,
});

describe("an attribute's refusal in the page's language", () => {
  it('words the bound with the language’s numbers and plurals', () => {
    const long = 'x'.repeat(1025);
    expect(refusalIn('de', () => parseAttributeText(attribute({}), long), 'Skills')).toBe(
      'Skills darf höchstens 1.024 Zeichen lang sein.',
    );
    const many = Array.from({ length: 101 }, (_, i) => `s${i}`);
    expect(refusalIn('fr', () => checkAttributeValue(attribute({ type: 'string_list' }), many), 'Compétences')).toBe(
      'Compétences peut contenir au plus 100 éléments.',
    );
  });

  it('lists the choices the language’s way (one or the other), and names the attribute itself when the form gave no label', () => {
    const level = attribute({ name: 'level', allowed: ['junior', 'senior', 'lead'] });
    expect(refusalIn('en', () => parseAttributeText(level, 'boss'))).toBe(
      'level cannot be “boss”: choose junior, senior, or lead.',
    );
    expect(refusalIn('ja', () => parseAttributeText(level, 'boss'), 'レベル')).toBe(
      '「boss」はレベルには使えません。junior、senior、またはlead から選んでください。',
    );
  });

  it('keeps the English message for a standard claim’s rule, which only the CLI and the API meet', () => {
    expect(refusalIn('de', () => parseProfileClaim('birthdate', 'soon'))).toBe(
      'claim birthdate: "soon" is not YYYY or a real YYYY-MM-DD date',
    );
  });
});
