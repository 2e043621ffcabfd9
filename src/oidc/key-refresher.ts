import type { ProviderHost } from './provider-host.js';
import type { Logger } from '../kernel/logger.js';

/**
 * Picks up keys rotated by any process (`gatehouse keys rotate` on another machine included) and
 * lets retired keys drop out of the JWKS once their publication ends, without a restart.
 * Returns `refresh` (also what the timer runs) and `stop`.
 */
export function startKeyRefresher(providers: ProviderHost, intervalMs: number, logger: Logger) {
  const refresh = async (): Promise<boolean> => {
    try {
      const rebuilt = await providers.refresh();
      if (rebuilt) logger.info({ keySet: providers.current().keySet }, 'signing keys changed: provider rebuilt');
      return rebuilt;
    } catch (error) {
      logger.error({ err: error }, 'could not refresh signing keys; still using the previous ones');
      return false;
    }
  };
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}
