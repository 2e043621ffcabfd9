import { explainAuditEvent } from './explain-audit-event.js';
import type { AccountRow } from '../accounts/account-queries.js';
import type { AccountService } from '../accounts/account-service.js';
import type { AccountAdminService } from '../account-lifecycle/account-admin-service.js';
import type { SessionService, Actor, SessionView, GrantView } from '../sessions/session-service.js';
import type { MfaService, MfaStatus } from '../mfa/mfa-service.js';
import type { PasskeyService } from '../passkeys/passkey-service.js';
import type { PasskeySummary } from '../passkeys/passkey-summary.js';
import type { PersonDirectory } from '../directory/person-directory.js';
import type { AuditEvent, AuditService } from '../audit/audit-service.js';
import { CONSOLE_CLIENT_ID } from '../clients/console-client.js';
import { normalizeEmail } from '../kernel/normalize-email.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { ConsoleQueries } from './console-queries.js';

export interface PersonRow {
  readonly account: AccountRow;
  readonly totp: boolean;
  readonly passkeys: number;
}

/** An audit event with what a person reads: why the second step was asked or skipped, who made a change. */
export interface ExplainedEvent extends AuditEvent {
  readonly explanation: string;
}

export interface Person {
  readonly account: AccountRow;
  readonly roles: readonly string[];
  readonly groups: readonly string[];
  readonly mfa: MfaStatus;
  readonly passkeys: readonly PasskeySummary[];
  readonly sessions: readonly SessionView[];
  readonly apps: readonly GrantView[];
  readonly events: readonly ExplainedEvent[];
}

export interface PeopleServiceDeps {
  readonly accounts: Pick<AccountService, 'page' | 'findById'>;
  readonly accountAdmin: AccountAdminService;
  readonly sessions: SessionService;
  readonly mfa: Pick<MfaService, 'status'>;
  readonly passkeys: Pick<PasskeyService, 'list'>;
  readonly personDirectory: Pick<PersonDirectory, 'entryOf'>;
  readonly audit: Pick<AuditService, 'list'>;
  readonly queries: Pick<ConsoleQueries, 'factorsOf'>;
}

/**
 * The People pages' reads and changes. Every change goes through the same services as the CLI and
 * the management API, with the administrator as actor, so it is audited the same way. An
 * administrator cannot disable, delete or reset the second factor of their own account here: that
 * would lock them out of the console mid-change (another administrator, or the CLI, can).
 */
export function createPeopleService(deps: PeopleServiceDeps) {
  const { accounts, accountAdmin, sessions } = deps;

  const requirePerson = async (id: string): Promise<AccountRow> => {
    const account = await accounts.findById(id);
    if (!account) throw new GatehouseError('ERR_ACCOUNT_NOT_FOUND', 'There is no such person (any more).');
    return account;
  };
  const notSelf = (account: AccountRow, actor: Actor, what: string) => {
    if (actor.admin?.accountId === account.id)
      throw new GatehouseError(
        'ERR_ADMIN_SELF_CHANGE',
        `You cannot ${what} your own account here: ask another administrator, or use the gatehouse CLI.`,
      );
  };

  return {
    /** One page of people in creation order, optionally those whose email starts with `prefix`. */
    async list(filter: {
      prefix?: string;
      after?: { createdAt: string; id: string };
      limit: number;
    }): Promise<PersonRow[]> {
      const rows = await accounts.page({
        emailPrefix: filter.prefix ? normalizeEmail(filter.prefix) : undefined,
        after: filter.after && { createdAt: new Date(filter.after.createdAt), id: filter.after.id },
        limit: filter.limit,
      });
      const factors = await deps.queries.factorsOf(rows.map((row) => row.id));
      return rows.map((account) => ({ account, ...(factors.get(account.id) ?? { totp: false, passkeys: 0 }) }));
    },

    async person(id: string): Promise<Person> {
      const account = await requirePerson(id);
      const [entry, mfa, passkeys, sessionList, apps, events] = await Promise.all([
        deps.personDirectory.entryOf(id),
        deps.mfa.status(id),
        deps.passkeys.list(id),
        sessions.listSessions(id),
        sessions.listGrants(id),
        deps.audit.list({ accountId: id, limit: 20 }),
      ]);
      return {
        account,
        roles: entry.roles,
        groups: entry.groups,
        mfa,
        passkeys,
        sessions: sessionList,
        apps: apps.filter((app) => app.clientId !== CONSOLE_CLIENT_ID),
        events: events.map((event) => ({ ...event, explanation: explainAuditEvent(event) })),
      };
    },

    /** Name, email and verified, only while the account is still as the form showed it (`version`). */
    async updateProfile(
      id: string,
      changes: { name: string; email: string; emailVerified: boolean },
      version: Date,
      actor: Actor,
    ) {
      const account = await requirePerson(id);
      return accountAdmin.update(account.email, changes, actor, version);
    },

    async endSession(id: string, uid: string, actor: Actor) {
      await sessions.revokeSession((await requirePerson(id)).id, uid, actor);
    },

    async endAllSessions(id: string, actor: Actor): Promise<number> {
      return sessions.revokeSessions((await requirePerson(id)).id, actor);
    },

    async revokeApp(id: string, grantId: string, actor: Actor) {
      await sessions.revokeGrant((await requirePerson(id)).id, grantId, actor);
    },

    async resetMfa(id: string, actor: Actor) {
      const account = await requirePerson(id);
      notSelf(account, actor, 'reset the second factor of');
      return accountAdmin.resetMfa(account.email, actor);
    },

    async setDisabled(id: string, disabled: boolean, actor: Actor) {
      const account = await requirePerson(id);
      if (!disabled) return accountAdmin.enable(account.email, actor);
      notSelf(account, actor, 'disable');
      return accountAdmin.disable(account.email, actor);
    },

    /** Deletes the account when `typed` is its email (what the confirmation asked for). */
    async remove(id: string, typed: string, actor: Actor) {
      const account = await requirePerson(id);
      notSelf(account, actor, 'delete');
      if (normalizeEmail(typed) !== account.email)
        throw new GatehouseError(
          'ERR_CONFIRMATION_MISMATCH',
          `Nothing was deleted: type ${account.email} exactly to confirm.`,
        );
      return { email: account.email, ...(await accountAdmin.remove(account.email, actor)) };
    },
  };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
