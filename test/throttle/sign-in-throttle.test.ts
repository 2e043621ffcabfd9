import { ACCOUNT_POLICY, blockSeconds, IP_POLICY } from '../../src/throttle/sign-in-throttle.js';

describe('the sign-in throttling policy', () => {
  it('lets five account failures through, then doubles the block from 30 s up to a 15-minute cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => blockSeconds(ACCOUNT_POLICY, n))).toEqual([0, 0, 0, 0, 0]);
    expect([6, 7, 8, 9, 10, 11, 12].map((n) => blockSeconds(ACCOUNT_POLICY, n))).toEqual([30, 60, 120, 240, 480, 900, 900]);
  });

  it('is wider per address, so a shared network is not locked out by one person', () => {
    expect(blockSeconds(IP_POLICY, 20)).toBe(0);
    expect(blockSeconds(IP_POLICY, 21)).toBe(30);
    expect(blockSeconds(IP_POLICY, 1000)).toBe(900);
  });
});
