import { RequestLanguage } from '../../../interactions/page/page-language.js';
import {
  currentPage,
  pageContextOf,
  withLazyPageContext,
  withPageContext,
} from '../../../interactions/page/page-context.js';
import { t, tHtml } from '../../../interactions/page/translate.js';
import { html } from '../../../interactions/views/html.js';
import { createMessageCatalogue } from '../../../src/i18n/message-catalogue.js';

const catalogue = createMessageCatalogue({ strict: true });
const brand = { productName: 'Gatehouse' };

describe("a request's page language", () => {
  it('reads nothing of the request until a page asks for it (protocol endpoints pay nothing, issue 25)', () => {
    let reads = 0;
    const language = new RequestLanguage(catalogue, 'en', () => (reads++, { acceptLanguage: 'fr' }));
    const page = pageContextOf(brand, language, () => '/');
    expect(reads).toBe(0);
    expect(page.language.locale).toBe('fr');
    expect(page.language.locale).toBe('fr');
    expect(reads).toBe(1);
  });

  it('is made only when a page asks for it, then once for the whole request', async () => {
    let made = 0;
    const make = () => (made++, pageContextOf(brand, new RequestLanguage(catalogue, 'en', () => ({})), () => '/'));
    await withLazyPageContext(make, async () => undefined);
    expect(made).toBe(0);
    await withLazyPageContext(make, async () => {
      currentPage().preferUiLocales('de');
      await Promise.resolve();
      expect(currentPage().language.locale).toBe('de');
    });
    expect(made).toBe(1);
  });

  it("lets the interaction's ui_locales decide again, over the person's pick", () => {
    const language = new RequestLanguage(catalogue, 'en', () => ({ picked: 'es', acceptLanguage: 'ja' }));
    expect(language.current.locale).toBe('es');
    language.preferUiLocales('zh-CN');
    expect(language.current).toMatchObject({ locale: 'zh-Hans', dir: 'ltr' });
  });

  it('is English for the layout until the view has read a message in the page language', () => {
    const page = pageContextOf(brand, new RequestLanguage(catalogue, 'de', () => ({})), () => '/');
    expect(page.writtenIn.locale).toBe('en');
    withPageContext(page, () => t('signIn.title'));
    expect(page.writtenIn.locale).toBe('de');
  });
});

describe('messages with markup', () => {
  const inGerman = <T>(render: () => T) =>
    withPageContext(
      pageContextOf(brand, new RequestLanguage(catalogue, 'de', () => ({})), () => '/'),
      render,
    );

  it('escape the values and keep only the tags the message and the view give', () => {
    const lead = inGerman(() => tHtml('signIn.lead', { clientName: '<script>alert(1)</script> & Co' }));
    expect(lead.value).toBe('weiter zu <strong>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</strong>');
  });

  it('put a link where the translation puts it, with the attributes the view writes', () => {
    const register = inGerman(() =>
      tHtml('signIn.register', { link: (chunks) => html`<a href="/register?uid=x">${chunks}</a>` }),
    );
    expect(register.value).toBe('Neu hier? <a href="/register?uid=x">Konto erstellen</a>');
  });

  it('are plain text through t, escaped by html`` where they are put', () => {
    expect(inGerman(() => html`<p>${t('signIn.cancel', { clientName: 'A<B' })}</p>`).value).toBe(
      '<p>Abbrechen und zu A&lt;B zurückkehren</p>',
    );
  });
});
