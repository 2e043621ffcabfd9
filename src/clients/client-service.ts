import { randomBytes } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';
import type { OidcRecordQueries } from '../oidc/oidc-record-queries.js';
import { assertRedirectUrisAllowed } from './redirect-uri-policy.js';

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
/** OIDC Registration §2: `native` apps may use loopback redirects on any port (RFC 8252 §7.3). */
export const APPLICATION_TYPES = ['web', 'native'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];
/** The ID token signature algorithms we hold keys for (see key-service.ts). */
export const ID_TOKEN_ALGS = ['RS256', 'ES256'] as const;
export type IdTokenAlg = (typeof ID_TOKEN_ALGS)[number];

export class ClientError extends Error {
  constructor(readonly code: 'ERR_CLIENT_INVALID' | 'ERR_CLIENT_NOT_FOUND', message: string) {
    super(message);
  }
}

export interface NewClient {
  readonly name: string;
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly grantTypes?: readonly string[];
  readonly authMethod?: AuthMethod;
  readonly firstParty?: boolean;
  readonly requireMfa?: boolean;
  readonly jwksUri?: string;
  readonly backchannelLogoutUri?: string;
  /** Defaults to `web`: redirect URIs must then match exactly, port included. */
  readonly applicationType?: ApplicationType;
  /** Defaults to RS256 (the provider's clientDefaults). */
  readonly idTokenAlg?: IdTokenAlg;
  /**
   * No grant types and no response types: the client can only authenticate at the introspection
   * and revocation endpoints (a resource server's own credentials, RFC 7662 §2.1).
   */
  readonly noGrants?: boolean;
}

export interface ClientSummary {
  readonly client_id: string;
  readonly client_name: string;
  readonly redirect_uris: string[];
  readonly grant_types: string[];
  readonly token_endpoint_auth_method: string;
  readonly first_party: boolean;
  readonly require_mfa: boolean;
  readonly created_at: string;
}

/** Clients live in the provider's own `Client` model, so oidc-provider reads them as registered. */
const MODEL = 'Client';

/** 256 bits from the CSPRNG, URL-safe. */
const random256 = () => randomBytes(32).toString('base64url');

export function createClientService(records: OidcRecordQueries, validate: (metadata: ClientMetadata) => Promise<unknown>) {
  return {
    async add(input: NewClient): Promise<{ client_id: string; client_secret?: string }> {
      const authMethod = input.authMethod ?? 'client_secret_basic';
      const grantTypes = input.noGrants ? [] : [...(input.grantTypes?.length ? input.grantTypes : ['authorization_code'])];
      const metadata: ClientMetadata = {
        client_id: randomBytes(16).toString('base64url'),
        client_name: input.name,
        client_id_issued_at: Math.floor(Date.now() / 1000),
        grant_types: grantTypes,
        response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
        redirect_uris: [...(input.redirectUris ?? [])],
        post_logout_redirect_uris: [...(input.postLogoutRedirectUris ?? [])],
        token_endpoint_auth_method: authMethod,
        first_party: Boolean(input.firstParty),
        require_mfa: Boolean(input.requireMfa),
        ...(input.jwksUri ? { jwks_uri: input.jwksUri } : {}),
        // Logout tokens always carry `sid` (Back-Channel Logout §2.4), so an RP can end just that session.
        ...(input.backchannelLogoutUri ? { backchannel_logout_uri: input.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
        ...(input.applicationType ? { application_type: input.applicationType } : {}),
        ...(input.idTokenAlg ? { id_token_signed_response_alg: input.idTokenAlg } : {}),
        ...(authMethod === 'none' || authMethod === 'private_key_jwt' ? {} : { client_secret: random256() }),
      };
      try {
        await validate(metadata);
      } catch (error) {
        const e = error as { error_description?: string; message?: string };
        throw new ClientError('ERR_CLIENT_INVALID', e.error_description ?? e.message ?? 'invalid client metadata');
      }
      assertRedirectUrisAllowed(metadata.redirect_uris ?? [], input.applicationType ?? 'web', (message) => new ClientError('ERR_CLIENT_INVALID', message));
      await records.upsert({
        model: MODEL, id: metadata.client_id, payload: JSON.stringify(metadata),
        grantId: null, userCode: null, uid: null, accountId: null, expiresAt: null,
      });
      return metadata.client_secret
        ? { client_id: metadata.client_id, client_secret: metadata.client_secret as string }
        : { client_id: metadata.client_id };
    },

    async list(): Promise<ClientSummary[]> {
      return (await records.listPermanent(MODEL)).map(({ id, payload, createdAt }) => {
        const m = JSON.parse(payload) as ClientMetadata;
        return {
          client_id: id,
          client_name: String(m.client_name ?? ''),
          redirect_uris: [...(m.redirect_uris ?? [])],
          grant_types: [...(m.grant_types ?? [])],
          token_endpoint_auth_method: m.token_endpoint_auth_method ?? 'client_secret_basic',
          first_party: Boolean(m.first_party),
          require_mfa: Boolean(m.require_mfa),
          created_at: createdAt.toISOString(),
        };
      });
    },

    async remove(clientId: string): Promise<void> {
      if (!(await records.findLive(MODEL, clientId, new Date()))) {
        throw new ClientError('ERR_CLIENT_NOT_FOUND', `no client with id ${clientId}`);
      }
      await records.destroy(MODEL, clientId);
    },
  };
}

export type ClientService = ReturnType<typeof createClientService>;
