/**
 * REGISTRATION=domain: an address a person gives themselves (registering, or changing theirs in the
 * console) must be at one of these domains, or the rule could be walked around by registering at an
 * allowed domain and then moving the account elsewhere. No domains: any domain. Operators (the CLI)
 * are not held to it. Expects a valid, normalized address (is-valid-email.ts).
 */
export function emailDomainAllowed(email: string, domains: readonly string[]): boolean {
  return domains.length === 0 || domains.includes(email.slice(email.lastIndexOf('@') + 1));
}
