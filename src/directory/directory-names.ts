import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { ErrorCode } from '../kernel/error-codes.js';
import { PROFILE_CLAIM_NAMES } from '../accounts/profile-claims.js';

/**
 * Role and group names travel in `roles`/`groups` claims and in comma-separated CLI lists, scope
 * names in space-delimited `scope` strings (RFC 6749 §3.3): letters, digits and `_ . : -`, no
 * spaces or commas, up to 64 characters.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** Attribute names become claim names in tokens: lower-case JSON-friendly identifiers. */
const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** OIDC Core §5.4's scopes, offline_access (§11), and the scopes that release roles and groups. */
export const RESERVED_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'profile',
  'email',
  'phone',
  'address',
  'offline_access',
  'roles',
  'groups',
]);

/** The standard claims we hold that a custom scope may also release (OIDC Core §5.1). */
export const STANDARD_CLAIMS: ReadonlySet<string> = new Set([
  'name',
  'email',
  'email_verified',
  ...PROFILE_CLAIM_NAMES,
]);

/**
 * Claim names an attribute must not take: every standard claim (OIDC Core §5.1, including those we
 * do not hold), the ID token's and JWT access token's own (OIDC Core §2, RFC 7519 §4.1, RFC 9068
 * §2.2), and the person claims we release ourselves.
 */
const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  ...STANDARD_CLAIMS,
  'sub',
  'address',
  'updated_at',
  'iss',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'azp',
  'at_hash',
  'c_hash',
  'sid',
  'client_id',
  'scope',
  'cnf',
  'roles',
  'groups',
  'permissions',
  'entitlements',
]);

/** The claims a custom scope may release: a declared attribute, a standard claim we hold, roles or groups. */
export const isReleasableClaim = (claim: string, declared: ReadonlySet<string>) =>
  declared.has(claim) || STANDARD_CLAIMS.has(claim) || claim === 'roles' || claim === 'groups';

export function checkName(kind: string, name: string, code: ErrorCode): string {
  if (!NAME.test(name))
    throw new GatehouseError(
      code,
      `${kind} name "${name}" must be 1 to 64 letters, digits or _ . : - (starting with a letter or digit)`,
    );
  return name;
}

export function checkAttributeName(name: string): string {
  if (!ATTRIBUTE_NAME.test(name))
    throw new GatehouseError(
      'ERR_ATTRIBUTE_INVALID',
      `attribute name "${name}" must be 1 to 64 lower-case letters, digits or _, starting with a letter`,
    );
  if (RESERVED_CLAIMS.has(name))
    throw new GatehouseError('ERR_ATTRIBUTE_INVALID', `attribute name "${name}" is a standard or reserved claim`);
  return name;
}

/** An operator's description: one line of plain text. */
export function checkDescription(description: string | undefined, code: ErrorCode): string {
  const text = (description ?? '').trim();
  if (text.length > 500) throw new GatehouseError(code, 'description must be at most 500 characters');
  if (/\p{Cc}/u.test(text)) throw new GatehouseError(code, 'description must be one line of text');
  return text;
}

/** Prisma's unique-violation and foreign-key-violation codes. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown }).code === 'P2002';
export const isMissingReference = (error: unknown) => (error as { code?: unknown }).code === 'P2003';
