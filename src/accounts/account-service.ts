import { randomBytes, randomUUID } from 'node:crypto';
import type { AccountQueries, AccountRow } from './account-queries.js';
import type { PasswordHasher } from './password-hasher.js';
import { normalizeEmail } from '../kernel/normalize-email.js';
import { isValidEmail } from '../kernel/is-valid-email.js';
import { checkPasswordPolicy } from './password-policy.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

export interface PublicAccount {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly emailVerified: boolean;
  readonly disabled: boolean;
  readonly createdAt: string;
}

export const toPublic = (row: AccountRow): PublicAccount => ({
  id: row.id,
  email: row.email,
  name: row.name,
  emailVerified: row.emailVerified,
  disabled: row.disabled,
  createdAt: row.createdAt.toISOString(),
});

export function createAccountService(accounts: AccountQueries, hasher: PasswordHasher, clock: Clock) {
  return {
    async create(input: {
      email: string;
      /** Without one the account gets a random password nobody knows: a reset link is its way in. */
      password?: string;
      name?: string;
      emailVerified?: boolean;
    }): Promise<PublicAccount> {
      const email = normalizeEmail(input.email);
      if (!isValidEmail(email))
        throw new GatehouseError('ERR_EMAIL_INVALID', `"${input.email}" is not an email address`);
      const password = input.password ?? randomBytes(32).toString('base64url');
      const problem = checkPasswordPolicy(password);
      if (problem) throw new GatehouseError('ERR_PASSWORD_POLICY', problem);
      if (await accounts.findByEmail(email))
        throw new GatehouseError('ERR_EMAIL_TAKEN', `an account with email ${email} already exists`);
      const taken = () => new GatehouseError('ERR_EMAIL_TAKEN', `an account with email ${email} already exists`);
      const passwordHash = await hasher.hash(password);
      try {
        const row = await accounts.insert({
          id: randomUUID(),
          email,
          name: input.name?.trim() || null,
          passwordHash,
          emailVerified: input.emailVerified ?? false,
        });
        return toPublic(row);
      } catch (error) {
        // Two creates of one address at once: the unique index decides, the loser is told so.
        if ((error as { code?: unknown }).code === 'P2002') throw taken();
        throw error;
      }
    },

    /** A page of accounts in creation order; see AccountQueries.page. */
    page: (filter: Parameters<AccountQueries['page']>[0]) => accounts.page(filter),

    async list(): Promise<PublicAccount[]> {
      return (await accounts.list()).map(toPublic);
    },

    /**
     * Replaces the password. The caller has already confirmed the person with the current one
     * through the password check (throttled and audited); the caller ends other sessions.
     */
    async setPassword(id: string, next: string): Promise<void> {
      const account = await accounts.findById(id);
      if (!account) throw new GatehouseError('ERR_ACCOUNT_NOT_FOUND', 'no such account');
      const problem = checkPasswordPolicy(next);
      if (problem) throw new GatehouseError('ERR_PASSWORD_POLICY', problem);
      await accounts.update(id, { passwordHash: await hasher.hash(next), passwordChangedAt: new Date(clock()) });
    },

    /**
     * Name, email and whether it is verified. A new email is checked like a new account's and is
     * unverified unless said otherwise: nobody has proven they receive mail there.
     */
    async updateProfile(
      email: string,
      changes: { name?: string; email?: string; emailVerified?: boolean },
      /** Only while the account is still at this version (its updatedAt): ERR_PRECONDITION_FAILED otherwise. */
      ifVersion?: Date,
    ): Promise<{ before: AccountRow; after: AccountRow }> {
      const account = await accounts.findByEmail(normalizeEmail(email));
      if (!account) throw new GatehouseError('ERR_ACCOUNT_NOT_FOUND', `no account with email ${normalizeEmail(email)}`);
      const data: { name?: string | null; email?: string; emailVerified?: boolean } = {};
      if (changes.name !== undefined) data.name = changes.name.trim() || null;
      if (changes.email !== undefined && normalizeEmail(changes.email) !== account.email) {
        const next = normalizeEmail(changes.email);
        if (!isValidEmail(next))
          throw new GatehouseError('ERR_EMAIL_INVALID', `"${changes.email}" is not an email address`);
        if (await accounts.findByEmail(next))
          throw new GatehouseError('ERR_EMAIL_TAKEN', `an account with email ${next} already exists`);
        data.email = next;
        data.emailVerified = false;
      }
      if (changes.emailVerified !== undefined) data.emailVerified = changes.emailVerified;
      if (ifVersion) {
        if (!(await accounts.updateIfVersion(account.id, ifVersion, new Date(clock()), data)))
          throw new GatehouseError('ERR_PRECONDITION_FAILED', 'the account changed since it was read: read it again');
        const after = await accounts.findById(account.id);
        return { before: account, after: after ?? ({ ...account, ...data } as AccountRow) };
      }
      await accounts.update(account.id, data);
      return { before: account, after: { ...account, ...data } as AccountRow };
    },

    async setDisabled(email: string, disabled: boolean): Promise<AccountRow> {
      const account = await accounts.findByEmail(normalizeEmail(email));
      if (!account) throw new GatehouseError('ERR_ACCOUNT_NOT_FOUND', `no account with email ${normalizeEmail(email)}`);
      await accounts.update(account.id, { disabled });
      return { ...account, disabled };
    },

    async requireByEmail(email: string): Promise<AccountRow> {
      const account = await accounts.findByEmail(normalizeEmail(email));
      if (!account) throw new GatehouseError('ERR_ACCOUNT_NOT_FOUND', `no account with email ${normalizeEmail(email)}`);
      return account;
    },

    findById: (id: string) => accounts.findById(id),
    findByEmail: (email: string) => accounts.findByEmail(normalizeEmail(email)),
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
