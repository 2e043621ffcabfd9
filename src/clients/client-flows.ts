import type { ClientMetadata } from 'oidc-provider';

/** What an authorization request may ask for: a code (the default), or an ID token alone (OIDC Core §3.2). */
export const RESPONSE_TYPES = ['code', 'id_token'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

/** The device authorization grant's type (RFC 8628 §3.4); `device_code` is accepted for it. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const GRANT_ALIASES: Readonly<Record<string, string>> = { device_code: DEVICE_CODE_GRANT };

/** A grant type as registered: the short aliases people type are replaced by the registered name. */
export const canonicalGrantType = (grantType: string): string => GRANT_ALIASES[grantType] ?? grantType;

/**
 * Grant types and response types that agree: `code` needs authorization_code, `id_token` the
 * implicit grant type (OIDC Registration §2). Without response types, a client with the
 * authorization_code grant gets `code`; without grant types, those its response types need, or
 * authorization_code.
 */
export function clientFlows(
  grantTypes: readonly string[] | undefined,
  responseTypes: readonly ResponseType[] | undefined,
): Pick<ClientMetadata, 'grant_types' | 'response_types'> {
  const responses = responseTypes?.length ? [...new Set(responseTypes)] : undefined;
  const grants = new Set(
    grantTypes?.length
      ? grantTypes.map(canonicalGrantType)
      : responses && !responses.includes('code')
        ? []
        : ['authorization_code'],
  );
  const response_types: string[] = responses ?? (grants.has('authorization_code') ? ['code'] : []);
  if (response_types.includes('code')) grants.add('authorization_code');
  if (response_types.includes('id_token')) grants.add('implicit');
  return { grant_types: [...grants], response_types: response_types as ClientMetadata['response_types'] };
}
