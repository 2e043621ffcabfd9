import type { AuditService } from '../audit/audit-service.js';
import type { Actor } from '../sessions/session-service.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { operatorEvent } from './operator-event.js';
import type { AttributeDefinitionRow, AttributeQueries } from './attribute-queries.js';
import { checkAttributeName, checkDescription, isUniqueViolation } from './directory-names.js';
import {
  ATTRIBUTE_TYPES,
  MAX_STRING_LENGTH,
  wholeMatch,
  type AttributeDefinition,
  type AttributeType,
} from './attribute-value.js';

export interface NewAttribute {
  readonly name: string;
  readonly type: string;
  readonly pattern?: string;
  /** The enumeration, as typed (numbers are read as numbers for a number attribute). */
  readonly allowed?: readonly string[];
  readonly selfEditable?: boolean;
  readonly description?: string;
}

const MAX_PATTERN_LENGTH = 500;
const MAX_ALLOWED = 100;

const invalid = (message: string) => new GatehouseError('ERR_ATTRIBUTE_INVALID', message);

/** The declaration's pattern and enumeration, checked against its type before anything is stored. */
function checkDeclaration(input: NewAttribute): Omit<AttributeDefinition, 'description'> {
  const name = checkAttributeName(input.name);
  if (!(ATTRIBUTE_TYPES as readonly string[]).includes(input.type))
    throw invalid(`attribute ${name}: type must be one of ${ATTRIBUTE_TYPES.join(', ')}`);
  const type = input.type as AttributeType;
  const textual = type === 'string' || type === 'string_list';

  let pattern: string | null = null;
  if (input.pattern !== undefined && input.pattern !== '') {
    if (!textual) throw invalid(`attribute ${name}: a pattern applies only to string and string_list`);
    if (input.pattern.length > MAX_PATTERN_LENGTH)
      throw invalid(`attribute ${name}: the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
    try {
      wholeMatch(input.pattern);
    } catch (error) {
      throw invalid(`attribute ${name}: the pattern is not a valid regular expression (${(error as Error).message})`);
    }
    pattern = input.pattern;
  }

  let allowed: (string | number)[] | null = null;
  if (input.allowed !== undefined && input.allowed.length > 0) {
    if (type === 'boolean') throw invalid(`attribute ${name}: a boolean takes no enumeration`);
    if (input.allowed.length > MAX_ALLOWED)
      throw invalid(`attribute ${name}: an enumeration holds at most ${MAX_ALLOWED} values`);
    const values = input.allowed.map((item) => item.trim());
    if (values.some((item) => item === '' || item.length > MAX_STRING_LENGTH))
      throw invalid(`attribute ${name}: every enumerated value must be 1 to ${MAX_STRING_LENGTH} characters`);
    if (type === 'number') {
      allowed = values.map((item) => {
        const n = Number(item);
        if (!Number.isFinite(n)) throw invalid(`attribute ${name}: enumerated value "${item}" is not a number`);
        return n;
      });
    } else {
      if (pattern !== null) {
        const bad = values.find((item) => !wholeMatch(pattern as string).test(item));
        if (bad !== undefined)
          throw invalid(`attribute ${name}: enumerated value "${bad}" does not match the pattern ${pattern}`);
      }
      allowed = values;
    }
    allowed = [...new Set(allowed)];
  }
  return { name, type, pattern, allowed, selfEditable: input.selfEditable ?? false };
}

/** A stored declaration; an enumeration that no longer parses reads as none. */
export function toDefinition(row: AttributeDefinitionRow): AttributeDefinition {
  let allowed: (string | number)[] | null = null;
  try {
    const parsed: unknown = row.allowed === null ? null : JSON.parse(row.allowed);
    if (Array.isArray(parsed)) allowed = parsed as (string | number)[];
  } catch {
    allowed = null;
  }
  return {
    name: row.name,
    type: (ATTRIBUTE_TYPES as readonly string[]).includes(row.type) ? (row.type as AttributeType) : 'string',
    pattern: row.pattern,
    allowed,
    selfEditable: row.selfEditable,
    description: row.description,
  };
}

/**
 * Declared attributes: the operator names each, with a type (and optionally a pattern matched whole,
 * an enumeration, and whether people edit it themselves); values are validated on every write
 * (attribute-value.ts) and released as claims by the scopes that list them.
 */
export function createAttributeService({
  queries,
  audit,
}: {
  queries: AttributeQueries;
  audit: Pick<AuditService, 'record'>;
}) {
  return {
    async add(input: NewAttribute, actor: Actor = { by: 'admin' }): Promise<AttributeDefinition> {
      const checked = checkDeclaration(input);
      const description = checkDescription(input.description, 'ERR_ATTRIBUTE_INVALID');
      try {
        await queries.insert({
          ...checked,
          allowed: checked.allowed === null ? null : JSON.stringify(checked.allowed),
          description,
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new GatehouseError('ERR_ATTRIBUTE_EXISTS', `an attribute named ${checked.name} already exists`);
        throw error;
      }
      await audit.record({
        type: 'admin.attribute.added',
        ...operatorEvent(actor, { attribute: checked.name, type: checked.type, selfEditable: checked.selfEditable }),
      });
      return { ...checked, description };
    },

    async list(): Promise<AttributeDefinition[]> {
      return (await queries.list()).map(toDefinition);
    },

    async find(name: string): Promise<AttributeDefinition | undefined> {
      const row = await queries.find(name);
      return row ? toDefinition(row) : undefined;
    },

    /** Removes the declaration, every stored value, and the attribute from every claim scope. */
    async remove(
      name: string,
      actor: Actor = { by: 'admin' },
    ): Promise<{ name: string; values: number; scopes: string[] }> {
      const removed = await queries.delete(name);
      if (!removed) throw new GatehouseError('ERR_ATTRIBUTE_NOT_FOUND', `no attribute named ${name}`);
      await audit.record({
        type: 'admin.attribute.removed',
        ...operatorEvent(actor, { attribute: name, values: removed.values, scopes: removed.scopes }),
      });
      return { name, ...removed };
    },
  };
}

export type AttributeService = ReturnType<typeof createAttributeService>;
