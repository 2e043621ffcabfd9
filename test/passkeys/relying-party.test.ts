import { relyingPartyOf } from '../../src/passkeys/relying-party.js';

describe('the relying party, derived from ISSUER', () => {
  test('the RP ID is the host, the origin is scheme, host and port; a path belongs to neither', () => {
    expect(relyingPartyOf('https://id.example.com/auth', 'Gatehouse')).toEqual({
      rpId: 'id.example.com',
      origin: 'https://id.example.com',
      rpName: 'Gatehouse',
    });
    expect(relyingPartyOf('http://localhost:3000')).toEqual({
      rpId: 'localhost',
      origin: 'http://localhost:3000',
      rpName: 'localhost',
    });
  });
});
