import {
  ACCOUNT_ADDRESS_POLICY,
  ACCOUNT_POLICY,
  DEVICE_POLICY,
  IP_POLICY,
} from '../../src/throttle/sign-in-throttle.js';
import { blockSeconds } from '../../src/throttle/failure-counter.js';

describe('the sign-in throttling policy', () => {
  it('lets five failures per account and address through, then doubles the block from 30 s up to a 15-minute cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => blockSeconds(ACCOUNT_ADDRESS_POLICY, n))).toEqual([0, 0, 0, 0, 0]);
    expect([6, 7, 8, 9, 10, 11, 12].map((n) => blockSeconds(ACCOUNT_ADDRESS_POLICY, n))).toEqual([
      30, 60, 120, 240, 480, 900, 900,
    ]);
  });

  it('gives a known browser the same allowance on a counter of its own', () => {
    expect(DEVICE_POLICY).toEqual(ACCOUNT_ADDRESS_POLICY);
  });

  it('caps all unknown browsers of one account together after 20 failures, with blocks from 60 s', () => {
    expect(blockSeconds(ACCOUNT_POLICY, 20)).toBe(0);
    expect([21, 22, 23, 24, 25].map((n) => blockSeconds(ACCOUNT_POLICY, n))).toEqual([60, 120, 240, 480, 900]);
  });

  it('is wider per address, so a shared network is not locked out by one person', () => {
    expect(blockSeconds(IP_POLICY, 20)).toBe(0);
    expect(blockSeconds(IP_POLICY, 21)).toBe(30);
    expect(blockSeconds(IP_POLICY, 1000)).toBe(900);
  });
});
