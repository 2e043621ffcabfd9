import { newClientId } from '../clients/new-client-id.js';
import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import {
  DYNAMIC_CLIENT,
  dynamicClientRefusal,
  dynamicKindOf,
  settleDynamicClient,
  type DynamicKind,
} from '../clients/dynamic-client-policy.js';
import type { ThrottleCounters } from '../throttle/throttle-counters.js';
import type { Clock } from '../kernel/clock.js';

export interface DynamicClientSettings {
  readonly registration: 'off' | 'token' | 'open';
  readonly metadataDocuments: boolean;
  /** Hosts a metadata document may be fetched from; empty: any public host. */
  readonly metadataDocumentHosts: readonly string[];
}

export interface DynamicClientDeps {
  readonly dynamicClients: DynamicClientSettings;
  /** Counts an initial access token's uses, atomically (throttle-counters.ts). */
  readonly counters: Pick<ThrottleCounters, 'add' | 'live'>;
  readonly clock: Clock;
}

/** The registration policy every initial access token made by `gatehouse registration token create` names. */
export const LIMITED_USES_POLICY = 'gatehouse-limited-uses';

/** The throttle-table keys of an initial access token: its use count and its limit. */
export const initialAccessTokenKeys = (jti: string) => ({ uses: `iat-uses:${jti}`, limit: `iat-limit:${jti}` });

/** The routes at which a client describes itself (RFC 7591 §3.1, RFC 7592 §2.2). */
const REGISTRATION_ROUTES = new Set(['registration', 'client_update']);

/** oidc-provider's metadata-document check (lib/helpers/client_id_metadata_document.js isValidClientIdUrl), loosely: an https client_id. */
const isMetadataDocumentId = (clientId: unknown) => typeof clientId === 'string' && clientId.startsWith('https://');

/**
 * Called by the extra-metadata validator (provider-configuration.ts) once per client the provider
 * builds. A client described at the registration endpoints, or by a metadata document, is held to
 * dynamic-client-policy.ts and marked with its kind; a stored client keeps the kind it was given
 * then (a registered client cannot name its own: the mark is written here, over what it sent).
 */
export function applyDynamicClientPolicy(
  ctx: KoaContextWithOIDC | undefined,
  metadata: Record<string, unknown>,
  operatorProperties: readonly string[],
): void {
  const route = ctx?.oidc?.route;
  const kind: DynamicKind | undefined =
    route && REGISTRATION_ROUTES.has(route)
      ? 'registration'
      : isMetadataDocumentId(metadata.client_id)
        ? 'metadata_document'
        : undefined;
  if (!kind) {
    if (metadata[DYNAMIC_CLIENT] !== undefined && !dynamicKindOf(metadata))
      throw new errors.InvalidClientMetadata(`${DYNAMIC_CLIENT} must be one of registration, metadata_document`);
    return;
  }
  const requested = kind === 'registration' ? (ctx?.oidc?.body as Record<string, unknown> | undefined) : metadata;
  const others = operatorProperties.filter((p) => p !== DYNAMIC_CLIENT);
  settleDynamicClient(metadata, kind);
  const refusal = dynamicClientRefusal(
    metadata,
    requested,
    kind === 'registration' ? [DYNAMIC_CLIENT, ...others] : others,
  );
  if (!refusal) return;
  if (refusal.error === 'invalid_client_metadata') throw new errors.InvalidClientMetadata(refusal.description);
  // The provider's class carries a fixed description (the one for an authorization request); RFC
  // 7591 §3.2.2 wants the registering client told which URI and why.
  const error = new errors.InvalidRedirectUri();
  error.error_description = refusal.description;
  throw error;
}

/**
 * RFC 7591 §3: an initial access token made by the CLI may register at most its number of clients.
 * Each registration counts first, atomically, then decides from the new count, so a parallel burst
 * with one token registers exactly that many.
 */
function limitedUses(deps: DynamicClientDeps) {
  return async (ctx: KoaContextWithOIDC) => {
    const token = ctx.oidc.entities.InitialAccessToken;
    if (!token?.jti) return;
    const keys = initialAccessTokenKeys(token.jti);
    const now = new Date(deps.clock());
    const [limit] = await deps.counters.live([keys.limit], now);
    if (!limit) return;
    const until = new Date((token.exp ?? Math.floor(deps.clock() / 1000) + 86_400) * 1000);
    const { points } = await deps.counters.add(keys.uses, now, until);
    if (points > limit.points)
      throw new errors.InvalidToken(`initial access token has been used ${limit.points} times, its limit`);
  };
}

/**
 * The features for clients the operator did not register, spread into the provider's features
 * (provider-configuration.ts). Registration (RFC 7591) and its management (RFC 7592, with a
 * registration access token rotated on every update) are on with CLIENT_REGISTRATION=token|open;
 * metadata documents with CLIENT_ID_METADATA_DOCUMENTS=on, fetched through the provider's `fetch`
 * (our SSRF guard, outbound-fetch.ts), bounded in size by fetchResponseBodyLimits and cached within
 * oidc-provider's bounds from the document's Cache-Control.
 */
type DynamicClientFeatures = Pick<
  NonNullable<Configuration['features']>,
  'registration' | 'registrationManagement' | 'clientIdMetadataDocument'
>;

export function dynamicClientFeatures(deps: DynamicClientDeps): DynamicClientFeatures {
  const { registration, metadataDocuments, metadataDocumentHosts } = deps.dynamicClients;
  const hosts = new Set(metadataDocumentHosts);
  return {
    registration: {
      enabled: registration !== 'off',
      initialAccessToken: registration === 'token',
      ...(registration === 'token' ? { policies: { [LIMITED_USES_POLICY]: limitedUses(deps) } } : {}),
      idFactory: newClientId,
      issueRegistrationAccessToken: true,
    },
    registrationManagement: { enabled: registration !== 'off', rotateRegistrationAccessToken: true },
    clientIdMetadataDocument: {
      enabled: metadataDocuments,
      // Experimental upstream: the draft this was written and tested against.
      ack: 'draft-02',
      // Refused before anything is fetched: a host outside the operator's list is never contacted.
      allowFetch: (_ctx, clientId) => hosts.size === 0 || hosts.has(new URL(clientId).host.toLowerCase()),
      // draft-ietf-oauth-client-id-metadata-document §4: the document may be cached, within bounds.
      cacheDuration: { min: 60, max: 24 * 3600 },
    },
  } as DynamicClientFeatures;
}
