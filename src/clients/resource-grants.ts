/**
 * Which APIs (RFC 8707 resources) a client may ask tokens for, and with which of their scopes.
 * Kept in the client's own metadata under this property (declared in provider-configuration.ts as
 * extra client metadata), so the provider hands it to getResourceServerInfo with the client.
 * A client without it may ask for no API at all: RFC 9700 §2.3 (least privilege), RFC 8707 §2.
 */
export const RESOURCE_GRANTS = 'resource_scopes';

/** Resource identifier → the scopes of it the client may be given. */
export type ResourceGrants = Readonly<Record<string, readonly string[]>>;

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

/** Why `value` is not a well-formed ResourceGrants, or undefined when it is (or is absent). */
export function resourceGrantsProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) return `${RESOURCE_GRANTS} must be an object of resource identifiers to scope lists`;
  for (const [identifier, scopes] of Object.entries(value)) {
    if (!URL.canParse(identifier) || identifier.includes('#'))
      return `${RESOURCE_GRANTS} key "${identifier}" is not an absolute URI without a fragment`;
    if (
      !Array.isArray(scopes) ||
      scopes.length === 0 ||
      !scopes.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))
    ) {
      return `${RESOURCE_GRANTS} for ${identifier} must be a non-empty list of scope tokens`;
    }
  }
  return undefined;
}

/** The grants recorded on a client (its metadata, or the provider's Client, which keeps the name). */
export function resourceGrantsOf(client: object | undefined): ResourceGrants {
  const value = (client as Record<string, unknown> | undefined)?.[RESOURCE_GRANTS];
  return resourceGrantsProblem(value) === undefined && value !== undefined ? (value as ResourceGrants) : {};
}

/** The scopes of `identifier` granted to the client, or undefined when the API is not granted at all. */
export function grantedScopes(client: object | undefined, identifier: string): readonly string[] | undefined {
  const grants = resourceGrantsOf(client);
  return Object.hasOwn(grants, identifier) ? grants[identifier] : undefined;
}
