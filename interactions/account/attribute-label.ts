import type { AttributeDefinition } from '../../src/directory/attribute-value.js';

/** What the details form calls an attribute: the operator's description, else its name in words. */
export const attributeLabel = (definition: Pick<AttributeDefinition, 'name' | 'description'>): string =>
  definition.description || definition.name.replace(/_/g, ' ');
