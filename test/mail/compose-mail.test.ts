import { composeMail, mailLocale, type MailBrand } from '../../src/mail/compose-mail.js';
import { createMessageCatalogue } from '../../src/i18n/message-catalogue.js';

const brand = (defaultLocale: MailBrand['defaultLocale'] = 'en'): MailBrand => ({
  productName: 'Gatehouse',
  issuer: 'https://id.example.org',
  messages: createMessageCatalogue({ strict: true }),
  defaultLocale,
});

describe('mailLocale: the language a mail is written in', () => {
  it('takes the first candidate naming a shipped language: the page’s, then the stored claim', () => {
    expect(mailLocale(brand(), 'ja', 'fr')).toBe('ja');
    expect(mailLocale(brand(), undefined, 'fr-CA')).toBe('fr');
    expect(mailLocale(brand(), null, 'zh-CN')).toBe('zh-Hans');
  });

  it('passes over a language we do not ship or a malformed tag, down to DEFAULT_LOCALE', () => {
    expect(mailLocale(brand('de'), undefined, 'ko-KR')).toBe('de');
    expect(mailLocale(brand('de'), 'not a tag!', null)).toBe('de');
    expect(mailLocale(brand())).toBe('en');
  });
});

describe('composeMail', () => {
  it('writes one language throughout: words, subject, signature, <html lang> and the language it names', () => {
    const mail = composeMail(brand(), 'de', {
      to: 'greta@example.com',
      subject: 'mail.reset.subject',
      paragraphs: ['mail.reset.lead'],
      link: { label: 'mail.reset.button', url: 'https://id.example.org/password/reset?token=a&b' },
      after: ['mail.reset.expiry'],
      values: { email: 'greta@example.com', minutes: 30 },
    });
    expect(mail.language).toBe('de');
    expect(mail.subject).toBe('Passwort zurücksetzen · Gatehouse');
    expect(mail.text).toContain('Neues Passwort wählen:\nhttps://id.example.org/password/reset?token=a&b');
    expect(mail.text).toContain('-- \nGatehouse (id.example.org)');
    expect(mail.html).toContain('<html lang="de">');
    // The address is escaped in the HTML, never markup.
    expect(mail.html).toContain('Oder öffnen Sie diese Adresse: https://id.example.org/password/reset?token=a&amp;b');
  });

  it('says one minute and one hour in the singular (ICU plural)', () => {
    const mail = composeMail(brand(), 'en', {
      to: 'a@example.com',
      subject: 'mail.register.subject',
      paragraphs: ['mail.register.lead'],
      after: ['mail.register.expiry'],
      values: { email: 'a@example.com', hours: 1 },
    });
    expect(mail.text).toContain('This link works once, for 1 hour.');
  });
});
