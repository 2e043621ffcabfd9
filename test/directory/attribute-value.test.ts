import {
  checkAttributeValue,
  parseAttributeText,
  type AttributeDefinition,
} from '../../src/directory/attribute-value.js';
import { parseProfileClaim } from '../../src/directory/profile-claim-values.js';

const declared = (definition: Partial<AttributeDefinition> & Pick<AttributeDefinition, 'name' | 'type'>) => ({
  pattern: null,
  allowed: null,
  selfEditable: false,
  description: '',
  ...definition,
});

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error('expected a refusal');
};

describe('a value written for a declared attribute', () => {
  it('is read by its type from text, and refused with the attribute named when it is not of that type', () => {
    const level = declared({ name: 'level', type: 'number' });
    const manager = declared({ name: 'is_manager', type: 'boolean' });
    const skills = declared({ name: 'skills', type: 'string_list' });
    expect(parseAttributeText(level, ' 3.5 ')).toBe(3.5);
    expect(parseAttributeText(manager, 'TRUE')).toBe(true);
    expect(parseAttributeText(skills, 'go, rust,go')).toEqual(['go', 'rust']);
    expect(parseAttributeText(skills, '["a, b", "c"]')).toEqual(['a, b', 'c']);
    expect(parseAttributeText(skills, '')).toEqual([]);

    expect(refusal(() => parseAttributeText(level, 'three'))).toEqual({
      code: 'ERR_ATTRIBUTE_INVALID',
      message: 'attribute level: "three" is not a number',
    });
    expect(refusal(() => parseAttributeText(level, ''))).toMatchObject({
      message: 'attribute level: "" is not a number',
    });
    expect(refusal(() => parseAttributeText(manager, 'yes'))).toMatchObject({
      message: 'attribute is_manager: "yes" is not true or false',
    });
    expect(refusal(() => parseAttributeText(skills, 'a,,b'))).toMatchObject({
      message: 'attribute skills: has an empty item',
    });
    expect(refusal(() => parseAttributeText(skills, '[1, 2]'))).toMatchObject({
      message: 'attribute skills: must be a list of strings',
    });
    // Typed values (what a JSON API would hand in) are held to the same types.
    expect(refusal(() => checkAttributeValue(level, '3'))).toMatchObject({
      message: 'attribute level: must be a number',
    });
    expect(refusal(() => checkAttributeValue(level, Infinity))).toMatchObject({ code: 'ERR_ATTRIBUTE_INVALID' });
    expect(refusal(() => checkAttributeValue(manager, 1))).toMatchObject({
      message: 'attribute is_manager: must be true or false',
    });
  });

  it('must match the whole pattern, not a part of it, for a string and for every item of a list', () => {
    const employeeId = declared({ name: 'employee_id', type: 'string', pattern: 'E[0-9]{4}' });
    expect(parseAttributeText(employeeId, 'E1234')).toBe('E1234');
    expect(refusal(() => parseAttributeText(employeeId, 'xE1234x'))).toEqual({
      code: 'ERR_ATTRIBUTE_INVALID',
      message: 'attribute employee_id: value "xE1234x" does not match the pattern E[0-9]{4}',
    });
    const codes = declared({ name: 'codes', type: 'string_list', pattern: '[A-Z]{2}|[a-z]{3}' });
    expect(parseAttributeText(codes, 'FR,deu')).toEqual(['FR', 'deu']);
    // The alternation is grouped before anchoring: "FRx" matches neither branch whole.
    expect(refusal(() => parseAttributeText(codes, 'FR,FRx'))).toMatchObject({
      message: 'attribute codes: item "FRx" does not match the pattern [A-Z]{2}|[a-z]{3}',
    });
  });

  it('must be one of the enumeration, for strings, list items and numbers', () => {
    const department = declared({ name: 'department', type: 'string', allowed: ['Research', 'Sales'] });
    expect(parseAttributeText(department, 'Sales')).toBe('Sales');
    expect(refusal(() => parseAttributeText(department, 'sales'))).toEqual({
      code: 'ERR_ATTRIBUTE_INVALID',
      message: 'attribute department: value "sales" is not one of Research, Sales',
    });
    const regions = declared({ name: 'regions', type: 'string_list', allowed: ['eu', 'us'] });
    expect(refusal(() => parseAttributeText(regions, 'eu,apac'))).toMatchObject({
      message: 'attribute regions: item "apac" is not one of eu, us',
    });
    const tier = declared({ name: 'tier', type: 'number', allowed: [1, 2, 3] });
    expect(parseAttributeText(tier, '2')).toBe(2);
    expect(refusal(() => parseAttributeText(tier, '4'))).toMatchObject({
      message: 'attribute tier: 4 is not one of 1, 2, 3',
    });
  });

  it('stays small: a string of at most 1024 characters, a list of at most 100 items', () => {
    const note = declared({ name: 'note', type: 'string' });
    expect(refusal(() => parseAttributeText(note, 'x'.repeat(1025)))).toMatchObject({
      message: 'attribute note: value is longer than 1024 characters',
    });
    const tags = declared({ name: 'tags', type: 'string_list' });
    expect(
      refusal(() => parseAttributeText(tags, Array.from({ length: 101 }, (_, i) => `t${i}`).join(','))),
    ).toMatchObject({ message: 'attribute tags: has more than 100 items' });
  });
});

describe('a standard profile claim set by the operator (OIDC Core §5.1)', () => {
  it('takes what the claim is, in canonical form where there is one', () => {
    expect(parseProfileClaim('given_name', '  Ada ')).toBe('Ada');
    expect(parseProfileClaim('locale', 'en-gb')).toBe('en-GB');
    expect(parseProfileClaim('zoneinfo', 'Europe/Paris')).toBe('Europe/Paris');
    expect(parseProfileClaim('zoneinfo', 'UTC')).toBe('UTC');
    expect(parseProfileClaim('phone_number', '+33123456789')).toBe('+33123456789');
    expect(parseProfileClaim('phone_number_verified', 'false')).toBe(false);
    expect(parseProfileClaim('birthdate', '1815')).toBe('1815');
    expect(parseProfileClaim('birthdate', '1815-12-10')).toBe('1815-12-10');
    expect(parseProfileClaim('birthdate', '0000-02-29')).toBe('0000-02-29');
    expect(parseProfileClaim('picture', 'https://example.com/ada.png')).toBe('https://example.com/ada.png');
  });

  it('refuses what the claim cannot be, naming the claim', () => {
    const cases: [Parameters<typeof parseProfileClaim>[0], string, string][] = [
      ['locale', 'not a tag!', 'claim locale: "not a tag!" is not a BCP 47 language tag (such as en-US)'],
      ['zoneinfo', 'Mars/Olympus', 'claim zoneinfo: "Mars/Olympus" is not an IANA time zone (such as Europe/Paris)'],
      [
        'phone_number',
        '0123 456',
        'claim phone_number: "0123 456" is not an E.164 number (+ then country code and number, digits only)',
      ],
      [
        'phone_number',
        '+1234567890123456',
        'claim phone_number: "+1234567890123456" is not an E.164 number (+ then country code and number, digits only)',
      ],
      ['birthdate', '1815-02-30', 'claim birthdate: "1815-02-30" is not YYYY or a real YYYY-MM-DD date'],
      ['birthdate', '10 Dec 1815', 'claim birthdate: "10 Dec 1815" is not YYYY or a real YYYY-MM-DD date'],
      ['website', 'http://example.com/', 'claim website: "http://example.com/" is not an https URL'],
      ['picture', 'javascript:alert(1)', 'claim picture: "javascript:alert(1)" is not an https URL'],
      ['phone_number_verified', 'yes', 'claim phone_number_verified: "yes" is not true or false'],
      ['given_name', '   ', 'claim given_name: is empty (use --unset to clear it)'],
      ['nickname', 'two\nlines', 'claim nickname: must be one line of text'],
    ];
    for (const [name, value, message] of cases) {
      expect(refusal(() => parseProfileClaim(name, value))).toEqual({ code: 'ERR_ATTRIBUTE_INVALID', message });
    }
  });
});
