import { attributeInvalid, type AttributeInvalidDetail } from './attribute-invalid.js';
import type { AttributeValue } from './person-directory.js';

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'string_list'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** A declared attribute, as the services see it. */
export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  /** Matched against the whole of every string (or list item). */
  readonly pattern: string | null;
  /** The enumeration: the only values allowed (list items, for a string list). */
  readonly allowed: readonly (string | number)[] | null;
  readonly selfEditable: boolean;
  readonly description: string;
}

/** Bounds that keep one person's values (and the tokens carrying them) small. */
export const MAX_STRING_LENGTH = 1024;
export const MAX_LIST_ITEMS = 100;

/** Refused: `problem` in English for the message, the rule (and its bound or values) for the pages. */
const invalid = (name: string, problem: string, detail: Omit<AttributeInvalidDetail, 'attribute'>) =>
  attributeInvalid(`attribute ${name}: ${problem}`, { attribute: name, ...detail });

/** The pattern as a whole-value match; `u` so that it counts characters, not UTF-16 halves. */
export const wholeMatch = (pattern: string) => new RegExp(`^(?:${pattern})$`, 'u');

function checkString(definition: AttributeDefinition, value: string, what: string): void {
  if (value.length > MAX_STRING_LENGTH)
    throw invalid(definition.name, `${what} is longer than ${MAX_STRING_LENGTH} characters`, {
      rule: 'tooLong',
      limit: MAX_STRING_LENGTH,
    });
  if (definition.pattern !== null && !wholeMatch(definition.pattern).test(value))
    throw invalid(definition.name, `${what} "${value}" does not match the pattern ${definition.pattern}`, {
      rule: 'pattern',
      value,
    });
  if (definition.allowed !== null && !definition.allowed.includes(value))
    throw invalid(definition.name, `${what} "${value}" is not one of ${definition.allowed.join(', ')}`, {
      rule: 'notAllowed',
      value,
      choices: definition.allowed,
    });
}

/**
 * A value for the attribute, checked against its type, pattern and enumeration; the error names
 * the attribute and what is wrong. What the management API and console would hand in as JSON.
 */
export function checkAttributeValue(definition: AttributeDefinition, value: unknown): AttributeValue {
  switch (definition.type) {
    case 'string':
      if (typeof value !== 'string') throw invalid(definition.name, 'must be a string', { rule: 'notAString' });
      checkString(definition, value, 'value');
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw invalid(definition.name, 'must be a number', { rule: 'notANumber' });
      if (definition.allowed !== null && !definition.allowed.includes(value))
        throw invalid(definition.name, `${value} is not one of ${definition.allowed.join(', ')}`, {
          rule: 'notAllowed',
          value: String(value),
          choices: definition.allowed,
        });
      return value;
    case 'boolean':
      if (typeof value !== 'boolean')
        throw invalid(definition.name, 'must be true or false', { rule: 'notTrueOrFalse' });
      return value;
    case 'string_list': {
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
        throw invalid(definition.name, 'must be a list of strings', { rule: 'notAList' });
      if (value.length > MAX_LIST_ITEMS)
        throw invalid(definition.name, `has more than ${MAX_LIST_ITEMS} items`, {
          rule: 'tooManyItems',
          limit: MAX_LIST_ITEMS,
        });
      for (const item of value as string[]) checkString(definition, item, 'item');
      return [...new Set(value as string[])];
    }
  }
}

/**
 * A value typed as text (`--set department=Research`, a console field), read by the attribute's
 * type: a number as a decimal, a boolean as true/false, a string list comma-separated (or a JSON
 * array, for items that hold commas); then checked like any value.
 */
export function parseAttributeText(definition: AttributeDefinition, text: string): AttributeValue {
  switch (definition.type) {
    case 'string':
      return checkAttributeValue(definition, text);
    case 'number': {
      const trimmed = text.trim();
      const value = trimmed === '' ? NaN : Number(trimmed);
      if (!Number.isFinite(value)) throw invalid(definition.name, `"${text}" is not a number`, { rule: 'notANumber' });
      return checkAttributeValue(definition, value);
    }
    case 'boolean': {
      const value = { true: true, false: false }[text.trim().toLowerCase()];
      if (value === undefined)
        throw invalid(definition.name, `"${text}" is not true or false`, { rule: 'notTrueOrFalse' });
      return checkAttributeValue(definition, value);
    }
    case 'string_list': {
      const trimmed = text.trim();
      if (trimmed.startsWith('[')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(trimmed);
        } catch {
          throw invalid(definition.name, 'is not a JSON array of strings', { rule: 'notAList' });
        }
        return checkAttributeValue(definition, parsed);
      }
      const items = trimmed === '' ? [] : trimmed.split(',').map((item) => item.trim());
      if (items.some((item) => item === '')) throw invalid(definition.name, 'has an empty item', { rule: 'emptyItem' });
      return checkAttributeValue(definition, items);
    }
  }
}

/** The value as a person types it back (the console's field). */
export const attributeText = (value: AttributeValue): string =>
  Array.isArray(value) ? value.join(', ') : String(value);
