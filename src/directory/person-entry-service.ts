import type { AccountService, PublicAccount } from '../accounts/account-service.js';
import { toPublic } from '../accounts/account-service.js';
import type { AccountRow, ProfileColumns } from '../accounts/account-queries.js';
import { PROFILE_CLAIM_COLUMNS, isProfileClaim, profileClaimsOf } from '../accounts/profile-claims.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Actor } from '../sessions/session-service.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { AttributeQueries } from './attribute-queries.js';
import { toDefinition } from './attribute-service.js';
import { checkAttributeValue, parseAttributeText, type AttributeDefinition } from './attribute-value.js';
import { operatorEvent } from './operator-event.js';
import type { AttributeValue, PersonDirectory } from './person-directory.js';
import type { EntryChanges, PersonEntryQueries } from './person-entry-queries.js';
import { parseProfileClaim } from './profile-claim-values.js';
import { attributeInvalid } from './attribute-invalid.js';

/** What an operator changes about one person (`gatehouse user update`); values typed as text. */
export interface PersonChanges {
  readonly addRoles?: readonly string[];
  readonly removeRoles?: readonly string[];
  readonly addGroups?: readonly string[];
  readonly removeGroups?: readonly string[];
  /**
   * Declared attribute or standard claim name → value. Text is read as `--set` reads it
   * (parseAttributeText); a typed value (the management API's JSON number, boolean or list) is
   * checked as it is.
   */
  readonly set?: Readonly<Record<string, string | AttributeValue>>;
  readonly unset?: readonly string[];
}

/** Everything the directory holds about a person (`gatehouse user show`). */
export interface PersonEntry {
  readonly account: PublicAccount;
  readonly claims: Record<string, string | boolean>;
  readonly roles: readonly string[];
  readonly groups: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** A self-editable attribute and the person's value, for their console. */
export interface EditableAttribute {
  readonly definition: AttributeDefinition;
  readonly value: AttributeValue | undefined;
}

export interface PersonEntryServiceDeps {
  readonly accounts: Pick<AccountService, 'requireByEmail' | 'findById'>;
  readonly attributes: Pick<AttributeQueries, 'list'>;
  readonly queries: PersonEntryQueries;
  readonly directory: PersonDirectory;
  readonly audit: Pick<AuditService, 'record'>;
}

type Profile = EntryChanges['profile'];

const missingError = ({ kind, name }: { kind: 'role' | 'group' | 'attribute'; name: string }) =>
  kind === 'role'
    ? new GatehouseError('ERR_ROLE_NOT_FOUND', `no role named ${name}`)
    : kind === 'group'
      ? new GatehouseError('ERR_GROUP_NOT_FOUND', `no group named ${name}`)
      : new GatehouseError('ERR_ATTRIBUTE_NOT_FOUND', `no attribute named ${name}`);

const conflict = (what: string, names: readonly string[] = [], other: readonly string[] = []) => {
  const both = names.find((name) => other.includes(name));
  if (both !== undefined)
    throw attributeInvalid(`${what} ${both} is both added and removed (or set and unset)`, {
      attribute: both,
      rule: 'addedAndRemoved',
    });
};

/**
 * One person's place in the directory: their roles, groups, declared attribute values and the
 * standard profile claims. Every write is validated, applied in one transaction and audited with
 * the names changed (values are personal data and stay out of the trail).
 */
export function createPersonEntryService({ accounts, attributes, queries, directory, audit }: PersonEntryServiceDeps) {
  const definitions = async () => new Map((await attributes.list()).map((row) => [row.name, toDefinition(row)]));

  /** The profile columns and JSON-encoded attribute values the text stands for; refused with the name. */
  const parseSets = (set: NonNullable<PersonChanges['set']>, declared: Map<string, AttributeDefinition>) => {
    const profile: Profile = {};
    const values: Record<string, string> = {};
    for (const [name, text] of Object.entries(set)) {
      if (isProfileClaim(name)) {
        // Standard claims are text, but for phone_number_verified, which may come as a JSON boolean.
        const typed = name === 'phone_number_verified' && typeof text === 'boolean' ? String(text) : text;
        if (typeof typed !== 'string')
          throw attributeInvalid(`claim ${name}: must be a string`, { attribute: name, rule: 'notAString' });
        (profile as Record<string, unknown>)[PROFILE_CLAIM_COLUMNS[name]] = parseProfileClaim(name, typed);
        continue;
      }
      const definition = declared.get(name);
      if (!definition)
        throw new GatehouseError(
          'ERR_ATTRIBUTE_NOT_FOUND',
          `no attribute or standard claim named ${name} (gatehouse attribute list)`,
        );
      const value =
        typeof text === 'string' ? parseAttributeText(definition, text) : checkAttributeValue(definition, text);
      values[name] = JSON.stringify(value);
    }
    return { profile, values };
  };

  async function entryOf(account: AccountRow): Promise<PersonEntry> {
    const entry = await directory.entryOf(account.id);
    return {
      account: toPublic(account),
      claims: profileClaimsOf(account),
      roles: entry.roles,
      groups: entry.groups,
      attributes: entry.attributes,
    };
  }

  const requireById = async (id: string): Promise<AccountRow> => {
    const account = await accounts.findById(id);
    if (!account) throw new GatehouseError('ERR_ACCOUNT_NOT_FOUND', `no user with id ${id}`);
    return account;
  };

  /**
   * Adds and removes roles and groups, sets and unsets attributes and standard claims, all or
   * nothing. A new phone number is unverified unless phone_number_verified is set with it.
   */
  async function update(account: AccountRow, changes: PersonChanges, actor: Actor): Promise<PersonEntry> {
    const set = changes.set ?? {};
    const unset = [...new Set(changes.unset ?? [])];
    conflict('role', changes.addRoles, changes.removeRoles);
    conflict('group', changes.addGroups, changes.removeGroups);
    conflict('attribute', Object.keys(set), unset);
    const declared = await definitions();
    const { profile, values } = parseSets(set, declared);
    const unsetAttributes: string[] = [];
    for (const name of unset) {
      if (isProfileClaim(name)) {
        (profile as Record<string, unknown>)[PROFILE_CLAIM_COLUMNS[name]] =
          name === 'phone_number_verified' ? false : null;
      } else if (declared.has(name)) unsetAttributes.push(name);
      else throw new GatehouseError('ERR_ATTRIBUTE_NOT_FOUND', `no attribute or standard claim named ${name}`);
    }
    if (
      profile.phoneNumber !== undefined &&
      profile.phoneNumber !== account.phoneNumber &&
      profile.phoneNumberVerified === undefined
    )
      profile.phoneNumberVerified = false;

    const outcome = await queries.apply(account.id, {
      addRoles: [...new Set(changes.addRoles ?? [])],
      removeRoles: [...new Set(changes.removeRoles ?? [])],
      addGroups: [...new Set(changes.addGroups ?? [])],
      removeGroups: [...new Set(changes.removeGroups ?? [])],
      setAttributes: values,
      unsetAttributes,
      profile,
    });
    if (!outcome.applied) throw missingError(outcome.missing);
    await audit.record({
      type: 'admin.user.directory_changed',
      accountId: account.id,
      email: account.email,
      ...operatorEvent(actor, {
        rolesAdded: changes.addRoles ?? [],
        rolesRemoved: changes.removeRoles ?? [],
        groupsAdded: changes.addGroups ?? [],
        groupsRemoved: changes.removeGroups ?? [],
        set: Object.keys(set),
        unset,
      }),
    });
    return entryOf({ ...account, ...(profile as Partial<ProfileColumns>) });
  }

  return {
    async show(email: string): Promise<PersonEntry> {
      return entryOf(await accounts.requireByEmail(email));
    },

    /** `show` by account id (the management API's /users/{id}/directory). */
    async showById(id: string): Promise<PersonEntry> {
      return entryOf(await requireById(id));
    },

    /** `gatehouse user update --add-role … --set …`: see update above. */
    async update(email: string, changes: PersonChanges, actor: Actor = { by: 'admin' }): Promise<PersonEntry> {
      return update(await accounts.requireByEmail(email), changes, actor);
    },

    /** `update` by account id, as PATCH /users/{id}/directory calls it. */
    async updateById(id: string, changes: PersonChanges, actor: Actor = { by: 'admin' }): Promise<PersonEntry> {
      return update(await requireById(id), changes, actor);
    },

    /** The attributes the operator lets people edit, with this person's values, for their console. */
    async editableAttributes(accountId: string): Promise<EditableAttribute[]> {
      const [declared, entry] = await Promise.all([definitions(), directory.entryOf(accountId)]);
      return [...declared.values()]
        .filter((definition) => definition.selfEditable)
        .map((definition) => ({ definition, value: entry.attributes[definition.name] }));
    },

    /**
     * The person's own edit of their self-editable attributes (an empty field clears one). Every
     * field is checked first: on any mistake nothing is saved and each refusal comes back by
     * attribute name (the error, whose `detail` the page words), for the form to show next to its
     * field. Audited with the person as actor.
     */
    async updateOwnAttributes(
      account: Pick<AccountRow, 'id' | 'email'>,
      fields: Readonly<Record<string, string>>,
      actor: Actor,
    ): Promise<{ errors: Record<string, GatehouseError> }> {
      const editable = new Map(
        [...(await definitions()).values()].filter((d) => d.selfEditable).map((d) => [d.name, d]),
      );
      const current = await queries.attributeValues(account.id);
      const setAttributes: Record<string, string> = {};
      const unsetAttributes: string[] = [];
      const errors: Record<string, GatehouseError> = {};
      for (const [name, text] of Object.entries(fields)) {
        const definition = editable.get(name);
        if (!definition)
          throw new GatehouseError('ERR_ATTRIBUTE_NOT_EDITABLE', `you cannot change ${name}`, {
            detail: { attribute: name },
          });
        if (text.trim() === '') {
          if (current[name] !== undefined) unsetAttributes.push(name);
          continue;
        }
        try {
          const value = JSON.stringify(parseAttributeText(definition, text));
          if (current[name] !== value) setAttributes[name] = value;
        } catch (error) {
          if (!(error instanceof GatehouseError)) throw error;
          errors[name] = error;
        }
      }
      if (Object.keys(errors).length > 0) return { errors };
      if (Object.keys(setAttributes).length === 0 && unsetAttributes.length === 0) return { errors };
      const outcome = await queries.apply(account.id, {
        addRoles: [],
        removeRoles: [],
        addGroups: [],
        removeGroups: [],
        setAttributes,
        unsetAttributes,
        profile: {},
      });
      if (!outcome.applied) throw missingError(outcome.missing);
      await audit.record({
        type: 'account.attributes.changed',
        outcome: 'success',
        accountId: account.id,
        email: account.email,
        ip: actor.ip,
        userAgent: actor.userAgent,
        detail: { set: Object.keys(setAttributes), unset: unsetAttributes },
      });
      return { errors };
    },
  };
}

export type PersonEntryService = ReturnType<typeof createPersonEntryService>;
