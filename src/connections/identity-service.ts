import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { AuditService } from '../audit/audit-service.js';
import type { AccountQueries } from '../accounts/account-queries.js';
import type { ConnectionQueries } from './connection-queries.js';
import type { IdentityQueries } from './identity-queries.js';

export interface LinkedIdentity {
  readonly id: string;
  readonly connection: string;
  readonly buttonLabel: string;
  readonly issuer: string;
  readonly subject: string;
  readonly email: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface IdentityServiceDeps {
  readonly identities: IdentityQueries;
  readonly connections: Pick<ConnectionQueries, 'list'>;
  readonly accounts: Pick<AccountQueries, 'findById'>;
  /** Whether the account holds a passkey (a way in without a password). */
  readonly hasPasskey: (accountId: string) => Promise<boolean>;
  readonly audit: AuditService;
}

/** A person's identities at other providers: listed (user show, the console) and unlinked. */
export function createIdentityService(deps: IdentityServiceDeps) {
  async function list(accountId: string): Promise<LinkedIdentity[]> {
    const [rows, connections] = await Promise.all([deps.identities.listForAccount(accountId), deps.connections.list()]);
    const byId = new Map(connections.map((c) => [c.id, c]));
    return rows.map((row) => ({
      id: row.id,
      connection: byId.get(row.connectionId)?.name ?? row.connectionId,
      buttonLabel: byId.get(row.connectionId)?.buttonLabel ?? row.connectionId,
      issuer: row.issuer,
      subject: row.subject,
      email: row.email,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    }));
  }

  return {
    list,

    /**
     * Unlinks one identity, unless it would leave the account with no way in: another identity, a
     * passkey, or a password the person knows (an account an upstream sign-in created has a random
     * one until it is set: a reset or a change stamps passwordChangedAt).
     */
    async unlink(accountId: string, identityId: string, info: { ip?: string; userAgent?: string } = {}): Promise<void> {
      const rows = await deps.identities.listForAccount(accountId);
      const target = rows.find((r) => r.id === identityId);
      if (!target) throw new GatehouseError('ERR_NOT_FOUND', 'no such linked sign-in');
      const account = await deps.accounts.findById(accountId);
      const passwordKnown = !rows.some((r) => r.createdAccount) || Boolean(account?.passwordChangedAt);
      const otherWay = rows.length > 1 || passwordKnown || (await deps.hasPasskey(accountId));
      const connection = (await deps.connections.list()).find((c) => c.id === target.connectionId);
      const base = {
        accountId,
        ip: info.ip,
        userAgent: info.userAgent,
        detail: { identityId, connectionId: target.connectionId, connection: connection?.name },
      };
      if (!otherWay) {
        await deps.audit.record({ type: 'upstream.unlinked', outcome: 'failure', reason: 'last_way_in', ...base });
        throw new GatehouseError(
          'ERR_IDENTITY_LAST_WAY_IN',
          'This is your only way to sign in. Set a password or add a passkey first, then unlink it.',
        );
      }
      if (!(await deps.identities.remove(identityId, accountId)))
        throw new GatehouseError('ERR_NOT_FOUND', 'no such linked sign-in');
      await deps.audit.record({ type: 'upstream.unlinked', outcome: 'success', ...base });
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
