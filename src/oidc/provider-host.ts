import type Provider from 'oidc-provider';
import type { JWK } from 'jose';

/** One Provider built from one key set. */
export interface ProviderGeneration {
  readonly provider: Provider;
  /** The public half of the keys it signs and publishes with. */
  readonly verificationKeys: { keys: JWK[] };
  /** Identifies the key set it was built from. */
  readonly keySet: string;
  /** The cookie-signing secrets it signs cookies with, newest first (read with its keys). */
  readonly cookieKeys: readonly string[];
}

export interface ProviderHost {
  /** The generation new requests use. */
  current(): ProviderGeneration;
  /**
   * Rebuilds the provider when the stored key set has changed (a `gatehouse keys rotate` by any
   * instance, or a retired key reaching the end of its publication). Resolves true when it did.
   */
  refresh(): Promise<boolean>;
}

/**
 * oidc-provider reads its keys once, when built. Rotation without restarts therefore means a new
 * Provider: requests in flight finish on the one they started with, new ones get the new one.
 * Nothing request-related lives in a Provider (all state is in the database), so this is safe.
 */
export async function createProviderHost(
  build: () => Promise<ProviderGeneration>,
  currentKeySet: () => Promise<string>,
): Promise<ProviderHost> {
  let generation = await build();
  let refreshing: Promise<boolean> | undefined;
  return {
    current: () => generation,
    refresh() {
      refreshing ??= (async () => {
        try {
          if ((await currentKeySet()) === generation.keySet) return false;
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
