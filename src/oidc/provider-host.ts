import type Provider from 'oidc-provider';
import type { JWK } from 'jose';

/** What a Provider is built from that can change while it runs, each as an identifying string. */
export interface GenerationSource {
  /** The signing and cookie keys (key-service.ts keySet). */
  readonly keySet: string;
  /** The custom scopes and their claims (claim-scopes.ts claimScopeSetOf). */
  readonly claimScopeSet: string;
}

/** One Provider built from one key set and one set of custom scopes. */
export interface ProviderGeneration extends GenerationSource {
  readonly provider: Provider;
  /** The public half of the keys it signs and publishes with. */
  readonly verificationKeys: { keys: JWK[] };
  /** The cookie-signing secrets it signs cookies with, newest first (read with its keys). */
  readonly cookieKeys: readonly string[];
}

export interface ProviderHost {
  /** The generation new requests use. */
  current(): ProviderGeneration;
  /**
   * Rebuilds the provider when the stored key set has changed (a `gatehouse keys rotate` by any
   * instance, or a retired key reaching the end of its publication) or the custom scopes have (a
   * `gatehouse scope add|remove` anywhere). Resolves true when it did.
   */
  refresh(): Promise<boolean>;
}

/**
 * oidc-provider reads its keys and its scope → claims configuration once, when built. Rotation and
 * new scopes without restarts therefore mean a new Provider: requests in flight finish on the one
 * they started with, new ones get the new one. Nothing request-related lives in a Provider (all
 * state is in the database), so this is safe.
 */
export async function createProviderHost(
  build: () => Promise<ProviderGeneration>,
  currentSource: () => Promise<GenerationSource>,
): Promise<ProviderHost> {
  let generation = await build();
  let refreshing: Promise<boolean> | undefined;
  return {
    current: () => generation,
    refresh() {
      refreshing ??= (async () => {
        try {
          const source = await currentSource();
          if (source.keySet === generation.keySet && source.claimScopeSet === generation.claimScopeSet) return false;
          generation = await build();
          return true;
        } finally {
          refreshing = undefined;
        }
      })();
      return refreshing;
    },
  };
}
