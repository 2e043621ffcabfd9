import { isValidEmail } from '../../src/kernel/is-valid-email.js';

describe('isValidEmail (WHATWG valid e-mail address, without mail-route characters)', () => {
  it.each([
    'ada@example.com',
    'ada.lovelace+notes@mail.example.org',
    "o'brien@example.ie",
    'x_y-z@sub-domain.example.co.uk',
    `${'a'.repeat(64)}@example.com`,
  ])('accepts %s', (email) => {
    expect(isValidEmail(email)).toBe(true);
  });

  it.each([
    ['a comma, which mailers split address lists on', 'x11,y@example.com'],
    ['a percent sign (a source route: user%host@relay)', 'y%evil.example@example.com'],
    ['a bang path (host!user)', 'evil.example!y@example.com'],
    ['a space', 'ada lovelace@example.com'],
    ['a quoted local part', '"ada"@example.com'],
    ['a semicolon', 'a;b@example.com'],
    ['angle brackets', 'ada<y@evil.example>@example.com'],
    ['two @', 'a@b@example.com'],
    ['a domain with no dot', 'ada@localhost'],
    ['a domain label starting with a hyphen', 'ada@-example.com'],
    ['an empty domain label', 'ada@example..com'],
    ['an address literal', 'ada@[192.0.2.1]'],
    ['non-ASCII', 'ada@exämple.com'],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`],
    ['over 254 characters in all', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`],
    ['nothing before the @', '@example.com'],
  ])('refuses %s', (_why, email) => {
    expect(isValidEmail(email)).toBe(false);
  });
});
