import type { ProviderHost } from './provider-host.js';
import type { Logger } from '../kernel/logger.js';

/**
 * Picks up keys rotated by any process (`gatehouse keys rotate` on another machine included) and
 * lets retired keys drop out of the JWKS once their publication ends, without a restart; likewise
 * custom scopes added or removed (`gatehouse scope add|remove`), which discovery and consent know
 * of from the next rebuild (a removed one already stops releasing claims: find-account.ts).
 * Returns `refresh` (also what the timer runs) and `stop`.
 */
export function startKeyRefresher(providers: ProviderHost, intervalMs: number, logger: Logger) {
  const refresh = async (): Promise<boolean> => {
    try {
      const rebuilt = await providers.refresh();
      if (rebuilt) {
        const { keySet, claimScopeSet } = providers.current();
        logger.info({ keySet, claimScopeSet }, 'signing keys or custom scopes changed: provider rebuilt');
      }
      return rebuilt;
    } catch (error) {
      logger.error({ err: error }, 'could not refresh signing keys and custom scopes; still using the previous ones');
      return false;
    }
  };
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}
