import type { ClientMetadata } from 'oidc-provider';
import type { MfaMode } from '../mfa/mfa-mode.js';
import { PKCE_REQUIRED, type PkceMode } from './client-pkce.js';
import { clientFlows, type ResponseType } from './client-flows.js';
import { ALLOWED_ORIGINS } from './web-origins.js';
import type { ClientLinks } from './client-links.js';

/** What `client update` may change; a list given replaces the whole list. The client id never changes. */
export interface ClientChanges {
  readonly name?: string;
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly grantTypes?: readonly string[];
  readonly responseTypes?: readonly ResponseType[];
  /** The APIs it may ask tokens for, each with all of its scopes, in place of its current grants. */
  readonly resources?: readonly string[];
  readonly allowedOrigins?: readonly string[];
  readonly pkce?: PkceMode;
  readonly mfaPolicy?: MfaMode | 'default';
  readonly firstParty?: boolean;
  /** Each link given is set; one given as "" is removed. */
  readonly links?: ClientLinks;
}

/** `metadata` with `key` set to `value`, or without `key` when `value` is undefined. */
function withOrWithout(metadata: ClientMetadata, key: string, value: unknown): ClientMetadata {
  const { [key]: _previous, ...rest } = metadata;
  return (value === undefined ? rest : { ...rest, [key]: value }) as ClientMetadata;
}

/**
 * The client's metadata with `changes` made, every setting but its grants (`resources` names APIs,
 * which the client service looks up). What is not given is kept.
 */
export function applyClientChanges(current: ClientMetadata, changes: ClientChanges): ClientMetadata {
  let metadata: ClientMetadata = { ...current };
  const set = (patch: Record<string, unknown>) => {
    metadata = { ...metadata, ...patch } as ClientMetadata;
  };
  if (changes.name !== undefined) set({ client_name: changes.name });
  if (changes.redirectUris) set({ redirect_uris: [...changes.redirectUris] });
  if (changes.postLogoutRedirectUris) set({ post_logout_redirect_uris: [...changes.postLogoutRedirectUris] });
  if (changes.grantTypes || changes.responseTypes) {
    // Implicit follows from the id_token response type (clientFlows), so it is recomputed, not kept.
    const grants = changes.grantTypes ?? (metadata.grant_types ?? []).filter((g) => g !== 'implicit');
    const previous = (metadata.response_types ?? []) as ResponseType[];
    const responses = changes.responseTypes ?? [
      ...(grants.includes('authorization_code') ? ['code' as const] : []),
      ...previous.filter((r) => r === 'id_token'),
    ];
    set(clientFlows(grants, responses));
  }
  if (changes.allowedOrigins)
    metadata = withOrWithout(
      metadata,
      ALLOWED_ORIGINS,
      changes.allowedOrigins.length ? [...changes.allowedOrigins] : undefined,
    );
  if (changes.pkce) metadata = withOrWithout(metadata, PKCE_REQUIRED, changes.pkce === 'optional' ? false : undefined);
  if (changes.mfaPolicy) {
    metadata = withOrWithout(metadata, 'mfa_policy', changes.mfaPolicy === 'default' ? undefined : changes.mfaPolicy);
    set({ require_mfa: changes.mfaPolicy === 'always' });
  }
  if (changes.firstParty !== undefined) set({ first_party: changes.firstParty });
  for (const [field, value] of Object.entries(changes.links ?? {}))
    if (value !== undefined) metadata = withOrWithout(metadata, field, value === '' ? undefined : value);
  return metadata;
}
