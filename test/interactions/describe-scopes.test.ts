import { describeConsent } from '../../interactions/describe-scopes.js';

describe('what an app asks, in words', () => {
  it('says "See your name" only to a person who has a name, and names the profile details they do have', () => {
    const asked = { missingOIDCScope: ['openid', 'profile'] };
    expect(describeConsent(asked, { personClaims: new Set(['email', 'name', 'picture', 'locale']) })).toEqual([
      'Know who you are (a stable identifier for your account)',
      'See your name, picture, and language',
    ]);
    const nameless = describeConsent(asked, { personClaims: new Set(['email', 'email_verified']) });
    expect(nameless).toContain('See your profile details (you have none yet, so the app gets none now)');
    expect(nameless.join(' ')).not.toContain('See your name');
  });

  it('counts given and family names as the one name a person reads', () => {
    const lines = describeConsent(
      { missingOIDCScope: ['profile'] },
      { personClaims: new Set(['given_name', 'family_name', 'zoneinfo']) },
    );
    expect(lines).toEqual(['See your name and time zone']);
  });

  it('leaves out a claim asked by name that the person does not have, and says so for a phone they have not given', () => {
    const lines = describeConsent(
      { missingOIDCScope: ['phone'], missingOIDCClaims: ['name', 'email'] },
      { personClaims: new Set(['email']) },
    );
    expect(lines).toEqual([
      'See your phone number (you have none yet, so the app gets none now)',
      'See your email address',
    ]);
  });

  it('shows a named API with its scope descriptions, and falls back to the identifier and the scope name', () => {
    const lines = describeConsent(
      {
        missingResourceScopes: {
          'https://notes.example/api': ['read', 'share'],
          'https://plain.example': ['read'],
          'https://described.example': ['sync'],
        },
      },
      {
        resources: {
          'https://notes.example/api': { name: 'Notes API', scopeDescriptions: { read: 'Read your notes' } },
          'https://described.example': { scopeDescriptions: { sync: 'Keep your files in step' } },
        },
      },
    );
    expect(lines).toEqual([
      'Notes API: Read your notes',
      'Notes API: Use "share"',
      'Use "read" on https://plain.example',
      'https://described.example: Keep your files in step',
    ]);
  });

  it('gives the operator’s claim scopes their descriptions, and an unknown scope its name', () => {
    expect(
      describeConsent(
        { missingOIDCScope: ['department', 'mystery'] },
        { customScopes: { department: 'See your department' } },
      ),
    ).toEqual(['See your department', 'Use the "mystery" permission']);
  });
});
