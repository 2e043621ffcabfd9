import { createHash, randomBytes } from 'node:crypto';
import type { EmailTokenPurpose, EmailTokenQueries, EmailTokenRow } from './email-token-queries.js';
import type { Outbox } from './outbox.js';
import type { OutgoingMail } from './mail-transport.js';
import type { Clock } from '../kernel/clock.js';

/** SHA-256 of the token: what is stored and looked up, so a copy of the database opens no link. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface LinkRequest {
  /** Reusing an id makes a repeat of the same request a no-op (an outbox request retried after a crash). */
  readonly id: string;
  readonly purpose: EmailTokenPurpose;
  readonly accountId: string | null;
  readonly email: string;
  readonly binding?: string;
  readonly data?: string;
  readonly ttlMs: number;
  /** The page the link opens, e.g. `/password/reset`; the token goes in its `token` query parameter. */
  readonly path: string;
}

/**
 * One-time links sent by mail: 256 random bits (ASVS 4.0 §2.5.1, §2.3.1), only their hash stored,
 * each written in one transaction with the outbox mail that carries it.
 */
export function createEmailTokens({
  queries,
  outbox,
  issuer,
  clock,
}: {
  queries: EmailTokenQueries;
  outbox: Outbox;
  issuer: string;
  clock: Clock;
}) {
  return {
    /** Makes the link and queues the mail `compose` writes around its URL; false when this id was issued already. */
    async issue(request: LinkRequest, compose: (url: string) => OutgoingMail): Promise<boolean> {
      const token = randomBytes(32).toString('base64url');
      const url = new URL(request.path, issuer);
      url.searchParams.set('token', token);
      const at = clock();
      const row: EmailTokenRow = {
        id: request.id,
        tokenHash: hashToken(token),
        purpose: request.purpose,
        accountId: request.accountId,
        email: request.email,
        binding: request.binding ?? null,
        data: request.data ?? null,
        expiresAt: new Date(at + request.ttlMs),
        usedAt: null,
        createdAt: new Date(at),
      };
      try {
        await queries.insertWithMail(row, outbox.row('mail', compose(url.toString()), row.id));
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') return false;
        throw error;
      }
      outbox.written();
      return true;
    },

    /** The unused, unexpired link of this purpose the token opens, if any. */
    async findLive(purpose: EmailTokenPurpose, token: string): Promise<EmailTokenRow | undefined> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const row = await queries.findByHash(hashToken(token));
      if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt.getTime() <= clock()) return undefined;
      return row;
    },
  };
}

export type EmailTokens = ReturnType<typeof createEmailTokens>;
