import type { ClientMetadata } from 'oidc-provider';
import type { MfaMode } from '../mfa/mfa-mode.js';
import { clientMfaMode } from './client-mfa-mode.js';
import { clientPkceMode, type PkceMode } from './client-pkce.js';
import { resourceGrantsOf, type ResourceGrants } from './resource-grants.js';
import { webOriginsOf } from './web-origins.js';
import { dynamicKindOf, type DynamicKind } from './dynamic-client-policy.js';
import { CLIENT_LINK_FIELDS, type ClientLinks } from './client-links.js';

/** What the CLI and the management API show of a client: every URI kind and policy, never its secret. */
export interface ClientSummary extends ClientLinks {
  readonly client_id: string;
  readonly client_name: string;
  readonly redirect_uris: string[];
  readonly post_logout_redirect_uris: string[];
  readonly backchannel_logout_uri?: string;
  /** Where a public client's browser calls may come from (CORS); empty for confidential clients. */
  readonly web_origins: string[];
  readonly grant_types: string[];
  readonly token_endpoint_auth_method: string;
  readonly first_party: boolean;
  readonly require_mfa: boolean;
  /** off, adaptive or always; `default` follows MFA_POLICY. */
  readonly mfa_policy: MfaMode | 'default';
  /** The APIs it may ask tokens for, with the scopes of each (RFC 8707). */
  readonly resources: ResourceGrants;
  readonly response_types: string[];
  readonly pkce: PkceMode;
  readonly application_type: string;
  readonly created_at?: string;
  /** Present for a client the operator did not register: how it came (dynamic-client-policy.ts). */
  readonly dynamic?: DynamicKind;
}

/** `createdAt` is the row's; without it, when the client's id was issued (to the second). */
export function summarizeClient(id: string, m: ClientMetadata, createdAt: Date | undefined): ClientSummary {
  const issuedAt = typeof m.client_id_issued_at === 'number' ? new Date(m.client_id_issued_at * 1000) : undefined;
  const when = createdAt ?? issuedAt;
  return {
    client_id: id,
    client_name: String(m.client_name ?? ''),
    redirect_uris: [...(m.redirect_uris ?? [])],
    post_logout_redirect_uris: [...(m.post_logout_redirect_uris ?? [])],
    ...(m.backchannel_logout_uri ? { backchannel_logout_uri: String(m.backchannel_logout_uri) } : {}),
    web_origins: m.token_endpoint_auth_method === 'none' ? webOriginsOf(m) : [],
    grant_types: [...(m.grant_types ?? [])],
    token_endpoint_auth_method: m.token_endpoint_auth_method ?? 'client_secret_basic',
    first_party: Boolean(m.first_party),
    require_mfa: Boolean(m.require_mfa),
    mfa_policy: clientMfaMode(m) ?? 'default',
    resources: resourceGrantsOf(m),
    response_types: [...(m.response_types ?? [])],
    pkce: clientPkceMode(m),
    application_type: String(m.application_type ?? 'web'),
    ...(when ? { created_at: when.toISOString() } : {}),
    ...(dynamicKindOf(m) ? { dynamic: dynamicKindOf(m) } : {}),
    ...Object.fromEntries(CLIENT_LINK_FIELDS.filter((f) => typeof m[f] === 'string').map((f) => [f, String(m[f])])),
  };
}
