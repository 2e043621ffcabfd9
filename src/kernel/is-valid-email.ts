/**
 * The one rule for an address Gatehouse accepts as someone's (registration, email change, the CLI):
 * the WHATWG HTML "valid e-mail address" grammar (HTML Living Standard §4.10.5.1.5, what
 * `<input type=email>` accepts), with three narrowings:
 * - no `%` or `!` in the local part: mail systems read them as source routes (`user%host@relay`,
 *   `host!user`; RFC 1123 §5.2.16, RFC 976), so the mail could go to a host other than the domain;
 *   the grammar already has no comma, quote or space, which some mailers split lists on;
 * - a domain of at least two labels (RFC 5321 §2.3.5: a fully-qualified domain name), as before;
 * - RFC 5321 §4.5.3.1 sizes: at most 64 characters before the `@`, 254 in all.
 * Callers pass the normalized form (normalize-email.ts), which is what gets stored.
 */
const LOCAL = /^[a-z0-9.#$&'*+/=?^_`{|}~-]{1,64}$/i;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isValidEmail(email: string): boolean {
  if (email.length > 254) return false;
  const at = email.lastIndexOf('@');
  const labels = email.slice(at + 1).split('.');
  return at > 0 && LOCAL.test(email.slice(0, at)) && labels.length >= 2 && labels.every((label) => LABEL.test(label));
}
