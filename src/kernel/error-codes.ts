/**
 * Every stable error code Gatehouse gives, defined once: the HTTP status it is answered with and,
 * where it differs from the default, its CLI exit code. The codes are part of the CLI's `--json`
 * contract (`{ "error": { "code", "message" } }`), so they never change meaning.
 */
export interface ErrorCodeEntry {
  readonly status: number;
  /**
   * A wrong secret while someone is proving who they are (a sign-in, a password reset) is 401
   * (RFC 9110 §15.5.2); the same refusal to a person already signed in is a form to correct (400).
   */
  readonly whileAuthenticating?: number;
  /**
   * A 5xx whose message is written for people (come back in a moment), so it is shown as it is;
   * without this, 5xx messages are never shown (see GatehouseError's `expose`).
   */
  readonly expose?: true;
  /** Process exit code of the CLI; 1 unless set. */
  readonly exit?: number;
}

export const ERROR_CODES = {
  // The CLI
  ERR_USAGE: { status: 400, exit: 2 },
  ERR_CANCELLED: { status: 400 },
  ERR_CONFIG: { status: 500 },
  ERR_INTERNAL: { status: 500 },
  // A page asked for a message English's catalogue lacks (src/i18n, strict in tests).
  ERR_MESSAGE_MISSING: { status: 500 },
  ERR_MAIL_FAILED: { status: 502 },
  // Storage and keys
  // Its message is the OAuth error code `temporarily_unavailable` (RFC 6749 §4.1.2.1), for clients to read.
  ERR_DATABASE_UNAVAILABLE: { status: 503, expose: true },
  // A NUL character (U+0000) in a value, which PostgreSQL's text cannot hold (src/db/unstorable-text.ts).
  // Its message is the OAuth error code `invalid_request`.
  ERR_TEXT_UNSTORABLE: { status: 400 },
  ERR_DATABASE_NOT_READY: { status: 500 },
  ERR_NATIVE_MODULE_MISMATCH: { status: 500 },
  ERR_KEK_REQUIRED: { status: 500 },
  ERR_KEK_MISMATCH: { status: 500 },
  // Accounts, addresses and links
  ERR_ACCOUNT_NOT_FOUND: { status: 404 },
  ERR_EMAIL_INVALID: { status: 400 },
  ERR_EMAIL_DOMAIN: { status: 400 },
  ERR_EMAIL_UNCHANGED: { status: 400 },
  // A conflict with another account (RFC 9110 §15.5.10); the link pages catch it and answer it as a
  // dead link (400), whatever the cause.
  ERR_EMAIL_TAKEN: { status: 409 },
  ERR_LINK_INVALID: { status: 400 },
  ERR_PASSWORD_POLICY: { status: 400 },
  ERR_PASSWORD_CONFIRMATION: { status: 400 },
  ERR_PASSWORD_MISMATCH: { status: 400, whileAuthenticating: 401 },
  ERR_SECOND_FACTOR_REQUIRED: { status: 400 },
  ERR_FORM_INVALID: { status: 400 },
  // Too many tries (RFC 6585 §4) or too much work at once (RFC 9110 §15.6.4): both say when to come back.
  ERR_THROTTLED: { status: 429 },
  ERR_BUSY: { status: 503, expose: true },
  // The second factor
  ERR_MFA_CODE_INVALID: { status: 400, whileAuthenticating: 401 },
  ERR_MFA_THROTTLED: { status: 429 },
  ERR_MFA_NO_ENROLMENT: { status: 400 },
  ERR_MFA_ALREADY_ENROLLED: { status: 409 },
  ERR_MFA_NOT_ENROLLED: { status: 409 },
  // Passkeys (WebAuthn). An assertion that is not accepted, for whatever reason before its
  // signature is proven, is ERR_PASSKEY_INVALID: the answer never tells a known credential from an unknown one.
  ERR_PASSKEY_INVALID: { status: 400, whileAuthenticating: 401 },
  ERR_PASSKEY_CHALLENGE: { status: 400 },
  ERR_PASSKEY_USER_VERIFICATION: { status: 400, whileAuthenticating: 401 },
  ERR_PASSKEY_CLONED: { status: 400, whileAuthenticating: 401 },
  ERR_PASSKEY_EXISTS: { status: 409 },
  ERR_PASSKEY_NOT_FOUND: { status: 404 },
  // Passkeys in the account console: removing the last second factor while the policy demands one
  ERR_PASSKEY_LAST_FACTOR: { status: 409 },
  // Turning the app off while it is the only second factor and the policy demands one
  ERR_MFA_LAST_FACTOR: { status: 409 },
  // Sessions and grants
  ERR_SESSION_NOT_FOUND: { status: 404 },
  ERR_GRANT_NOT_FOUND: { status: 404 },
  // Clients and resources (the CLI's)
  ERR_CLIENT_INVALID: { status: 400 },
  ERR_CLIENT_NOT_FOUND: { status: 404 },
  ERR_CLIENT_GRANT_NOT_FOUND: { status: 404 },
  // A client of a kind that may not hold this API (management-grant-policy.ts): its kind, not the request, is the obstacle.
  ERR_CLIENT_GRANT_REFUSED: { status: 409 },
  ERR_RESOURCE_INVALID: { status: 400 },
  ERR_RESOURCE_EXISTS: { status: 409 },
  ERR_RESOURCE_NOT_FOUND: { status: 404 },
  // The directory: roles, groups, declared attributes, custom claim scopes (src/directory)
  ERR_ROLE_INVALID: { status: 400 },
  ERR_ROLE_EXISTS: { status: 409 },
  ERR_ROLE_NOT_FOUND: { status: 404 },
  // The built-in admin role cannot be removed.
  ERR_ROLE_BUILT_IN: { status: 409 },
  // A permission names a scope the API does not have.
  ERR_ROLE_PERMISSION_INVALID: { status: 400 },
  ERR_ROLE_PERMISSION_NOT_FOUND: { status: 404 },
  ERR_GROUP_INVALID: { status: 400 },
  ERR_GROUP_EXISTS: { status: 409 },
  ERR_GROUP_NOT_FOUND: { status: 404 },
  // A declaration that cannot stand (bad name, type, pattern or enumeration), or a value that
  // does not fit its attribute or standard claim; the message names the attribute.
  ERR_ATTRIBUTE_INVALID: { status: 400 },
  ERR_ATTRIBUTE_EXISTS: { status: 409 },
  ERR_ATTRIBUTE_NOT_FOUND: { status: 404 },
  // A person may edit only the attributes the operator marked self-editable.
  ERR_ATTRIBUTE_NOT_EDITABLE: { status: 403 },
  ERR_SCOPE_INVALID: { status: 400 },
  ERR_SCOPE_EXISTS: { status: 409 },
  ERR_SCOPE_NOT_FOUND: { status: 404 },
  // The management API's built-in resource ({ISSUER}/admin/api) cannot be removed or re-scoped.
  ERR_RESOURCE_BUILT_IN: { status: 409 },
  // Connections to other identity providers (src/connections).
  ERR_CONNECTION_INVALID: { status: 400 },
  ERR_CONNECTION_EXISTS: { status: 409 },
  ERR_CONNECTION_NOT_FOUND: { status: 404 },
  ERR_IDENTITY_LAST_WAY_IN: { status: 409 },
  // A console change that needs a recent sign-in (REAUTH_WINDOW_SECONDS) from a session older than
  // that: the person is sent to sign in again (OIDC Core §3.1.2.1 prompt=login), not refused for good.
  ERR_SIGN_IN_AGAIN: { status: 403 },
  // The management API (src/admin-api): RFC 6750 §3.1 for tokens, RFC 9110 §13 for preconditions,
  // RFC 6585 §3 for a write without If-Match, the Idempotency-Key draft for retried creates.
  ERR_TOKEN_INVALID: { status: 401 },
  ERR_INSUFFICIENT_SCOPE: { status: 403 },
  ERR_NOT_FOUND: { status: 404 },
  ERR_METHOD_NOT_ALLOWED: { status: 405 },
  ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415 },
  ERR_BODY_TOO_LARGE: { status: 413 },
  ERR_BAD_REQUEST: { status: 400 },
  ERR_VALIDATION: { status: 422 },
  ERR_CURSOR_INVALID: { status: 400 },
  ERR_PRECONDITION_FAILED: { status: 412 },
  ERR_PRECONDITION_REQUIRED: { status: 428 },
  ERR_IDEMPOTENCY_KEY_REUSED: { status: 422 },
  ERR_IDEMPOTENCY_IN_PROGRESS: { status: 409 },
  // The admin console (interactions/admin): a destructive change whose confirmation does not match,
  // and an administrator's own lock-out (disabling, deleting or resetting themselves) refused.
  ERR_CONFIRMATION_MISMATCH: { status: 400 },
  ERR_ADMIN_SELF_CHANGE: { status: 409 },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodeEntry = (code: ErrorCode): ErrorCodeEntry => ERROR_CODES[code];

/** Whether `code` is one of ours (a code read back from another process's answer, say). */
export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
