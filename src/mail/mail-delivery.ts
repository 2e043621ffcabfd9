import type { MailTransport, OutgoingMail } from './mail-transport.js';
import type { EmailTokenQueries } from './email-token-queries.js';
import type { OutboxRow } from './outbox-queries.js';
import type { Clock } from '../kernel/clock.js';

/**
 * Sends one outbox mail. A mail carrying a one-time link is dropped instead when that link was
 * used or has expired meanwhile: after a crash between sending and recording it, the retry never
 * sends again a link that was already used.
 */
export function createMailDelivery(
  transport: MailTransport,
  tokens: Pick<EmailTokenQueries, 'findById'>,
  clock: Clock,
) {
  return async (payload: unknown, row: OutboxRow): Promise<'sent' | 'dropped'> => {
    if (row.tokenId) {
      const token = await tokens.findById(row.tokenId);
      if (!token || token.usedAt || token.expiresAt.getTime() <= clock()) return 'dropped';
    }
    await transport.send(payload as OutgoingMail);
    return 'sent';
  };
}
