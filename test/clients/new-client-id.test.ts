import { newClientId } from '../../src/clients/new-client-id.js';

describe('a new client id', () => {
  it('is 128 random bits, URL-safe, and never starts with a dash, which the CLI would read as an option', () => {
    // Without the rule, one id in 64 starts with "-": among 4,000 some would, all but surely.
    const ids = Array.from({ length: 4000 }, newClientId);
    expect(ids.every((id) => /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
