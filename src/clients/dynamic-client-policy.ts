/**
 * The rules for clients the operator did not register: those that registered themselves (RFC 7591)
 * and those whose client_id is the URL of their metadata (OAuth Client ID Metadata Document). Such
 * a client is a stranger: always third-party (consent always asked), public or `private_key_jwt`
 * (no shared secret to leak or to keep), the authorization code flow only (never
 * client_credentials: it would act with no person behind it), and redirect URIs held to the same
 * rules as `gatehouse client add`'s, checked before anything is stored.
 */

/** Where a client came from, kept in its own metadata under this property (provider-configuration.ts). */
export const DYNAMIC_CLIENT = 'gatehouse_dynamic';

export const DYNAMIC_KINDS = ['registration', 'metadata_document'] as const;
export type DynamicKind = (typeof DYNAMIC_KINDS)[number];

/** Registration metadata larger than this is refused (RFC 7591 leaves the bound to the server). */
export const MAX_DYNAMIC_METADATA_BYTES = 8 * 1024;

/** What a registered client may use; everything else is for clients the operator registers. */
const GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);
const AUTH_METHODS = new Set(['none', 'private_key_jwt']);
/** Secret-based methods: what the provider defaults to when a client names no method. */
const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);
/** Human-facing URIs a consent page or a console might show or fetch: https only (RFC 7591 §5 asks for care). */
const WEB_URIS = ['logo_uri', 'policy_uri', 'tos_uri', 'client_uri', 'jwks_uri'] as const;
/** Schemes that run code or read local data where a browser lands: never a redirect URI. */
const DANGEROUS_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_NAME_LENGTH = 100;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface DynamicClientRefusal {
  /** RFC 7591 §3.2.2's error codes. */
  readonly error: 'invalid_redirect_uri' | 'invalid_client_metadata';
  readonly description: string;
}

export function dynamicKindOf(client: object | undefined): DynamicKind | undefined {
  const value = (client as Record<string, unknown> | undefined)?.[DYNAMIC_CLIENT];
  return (DYNAMIC_KINDS as readonly unknown[]).includes(value) ? (value as DynamicKind) : undefined;
}

const metadataRefusal = (description: string): DynamicClientRefusal => ({
  error: 'invalid_client_metadata',
  description,
});
const redirectRefusal = (description: string): DynamicClientRefusal => ({ error: 'invalid_redirect_uri', description });

/** RFC 8252 §7: https, loopback http (§7.3), or for a native app a private-use scheme in reverse-domain form (§7.1). */
function redirectUriProblem(uri: unknown, applicationType: string, label: string): string | undefined {
  if (typeof uri !== 'string') return `${label} must be a string`;
  const url = URL.parse(uri);
  if (!url) return `${label} ${uri} is not an absolute URI`;
  if (DANGEROUS_SCHEMES.has(url.protocol)) return `${label} must not use the ${url.protocol} scheme`;
  if (url.hash) return `${label} ${uri} must not contain a fragment (RFC 6749 §3.1.2)`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname)
      ? undefined
      : `${label} ${uri} must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])`;
  }
  if (applicationType === 'native' && url.protocol.slice(0, -1).includes('.')) return undefined;
  return applicationType === 'native'
    ? `${label} ${uri} must use https, loopback http, or a private-use scheme in reverse domain form such as com.example.app: (RFC 8252 §7.1)`
    : `${label} ${uri} must use https (a private-use scheme needs application_type native)`;
}

function uriListRefusal(value: unknown, applicationType: string, label: string, required: boolean) {
  if (value === undefined && !required) return undefined;
  if (!Array.isArray(value) || (required && value.length === 0))
    return redirectRefusal(`${label}s must be a non-empty list of URIs`);
  for (const uri of value) {
    const problem = redirectUriProblem(uri, applicationType, label);
    if (problem) return redirectRefusal(problem);
  }
  return undefined;
}

/**
 * Why a stranger's metadata is refused, or undefined when it is acceptable. `metadata` is what the
 * provider is building (its defaults filled in); `requested` is what the client sent, when known,
 * to tell a method it asked for from the provider's default. `operatorProperties` are the extra
 * metadata only the operator sets (first_party, API grants, MFA…): a client naming one is refused.
 */
export function dynamicClientRefusal(
  metadata: Record<string, unknown>,
  requested: Record<string, unknown> | undefined,
  operatorProperties: readonly string[],
): DynamicClientRefusal | undefined {
  const source = requested ?? metadata;
  if (Buffer.byteLength(JSON.stringify(source)) > MAX_DYNAMIC_METADATA_BYTES)
    return metadataRefusal(`client metadata must be at most ${MAX_DYNAMIC_METADATA_BYTES} bytes`);
  for (const property of operatorProperties) {
    if (source[property] !== undefined)
      return metadataRefusal(`${property} is set by the operator of this server, never by the client`);
  }
  const applicationType = String(metadata.application_type ?? 'web');
  if (applicationType !== 'web' && applicationType !== 'native')
    return metadataRefusal('application_type must be web or native');

  const redirects = uriListRefusal(metadata.redirect_uris, applicationType, 'redirect URI', true);
  if (redirects) return redirects;
  const postLogout = uriListRefusal(
    metadata.post_logout_redirect_uris,
    applicationType,
    'post-logout redirect URI',
    false,
  );
  if (postLogout) return postLogout;

  const name = metadata.client_name;
  if (
    name !== undefined &&
    (typeof name !== 'string' || !name.trim() || name.length > MAX_NAME_LENGTH || CONTROL.test(name))
  )
    return metadataRefusal(`client_name must be 1 to ${MAX_NAME_LENGTH} printable characters`);
  for (const property of WEB_URIS) {
    const value = metadata[property];
    if (value === undefined) continue;
    if (typeof value !== 'string' || URL.parse(value)?.protocol !== 'https:')
      return metadataRefusal(`${property} must be an https URL`);
  }

  if (!AUTH_METHODS.has(String(metadata.token_endpoint_auth_method)))
    return metadataRefusal(
      'token_endpoint_auth_method must be none (a public client) or private_key_jwt: this server gives no secrets to clients that register themselves',
    );
  const grantTypes = (metadata.grant_types as unknown[] | undefined) ?? ['authorization_code'];
  if (!Array.isArray(grantTypes) || !grantTypes.every((g) => typeof g === 'string' && GRANT_TYPES.has(g)))
    return metadataRefusal('grant_types may only be authorization_code and refresh_token (never client_credentials)');
  const responseTypes = (metadata.response_types as unknown[] | undefined) ?? ['code'];
  if (!Array.isArray(responseTypes) || !responseTypes.every((r) => r === 'code'))
    return metadataRefusal('response_types may only be code');
  return undefined;
}

/** What a stranger that names no authentication method gets: a public client (RFC 7591 §2 lets the server choose). */
export const DEFAULT_DYNAMIC_AUTH_METHOD = 'none';

/**
 * The metadata as the server keeps it: the kind recorded, no scope list. A metadata document may not name a
 * secret method (the provider refuses one it names), so one found here is the provider's default
 * filled in: the client is public.
 */
export function settleDynamicClient(metadata: Record<string, unknown>, kind: DynamicKind): void {
  metadata[DYNAMIC_CLIENT] = kind;
  // RFC 7591 §2 `scope` would be checked against the OpenID scopes alone (an API's scopes, such as
  // an MCP server's, are not among them) and refused. What such a client may get is decided by
  // the APIs opened to it and their ceilings, so the server sets no scope list (§3.2.1 lets it
  // differ from what was asked; the answer shows what was registered).
  delete metadata.scope;
  if (kind === 'metadata_document' && SECRET_METHODS.has(String(metadata.token_endpoint_auth_method)))
    metadata.token_endpoint_auth_method = DEFAULT_DYNAMIC_AUTH_METHOD;
}
