import { refreshTokenTtl } from '../../src/oidc/refresh-token-ttl.js';

const DAY = 24 * 60 * 60;
const lifetime = { absoluteSeconds: 30 * DAY, idleSeconds: 14 * DAY };
const iiat = 1_767_225_600; // the first refresh token of the chain

describe("a refresh token's lifetime", () => {
  it('is the idle window for a young chain', () => {
    expect(refreshTokenTtl(lifetime, iiat, iiat)).toBe(14 * DAY);
    expect(refreshTokenTtl(lifetime, iiat, iiat + 10 * DAY)).toBe(14 * DAY);
  });

  it('ends with the chain: never past first issue + the absolute cap, however recently it was used', () => {
    expect(refreshTokenTtl(lifetime, iiat, iiat + 20 * DAY)).toBe(10 * DAY);
    expect(refreshTokenTtl(lifetime, iiat, iiat + 30 * DAY - 5)).toBe(5);
  });

  it('stays positive at and past the cap, where the provider has already refused the old token', () => {
    expect(refreshTokenTtl(lifetime, iiat, iiat + 30 * DAY)).toBe(1);
    expect(refreshTokenTtl(lifetime, iiat, iiat + 40 * DAY)).toBe(1);
  });
});
