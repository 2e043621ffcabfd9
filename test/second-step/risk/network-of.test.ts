import { networkOf } from '../../../src/second-step/risk/network-of.js';

describe('networkOf', () => {
  test('IPv4 addresses are remembered by their /24', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
  });

  test('IPv6 addresses are remembered by their /64, however they are written', () => {
    expect(networkOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
  });

  test('anything that is not an address has no network', () => {
    expect(networkOf(undefined)).toBeUndefined();
    expect(networkOf('')).toBeUndefined();
    expect(networkOf('not-an-ip')).toBeUndefined();
  });
});
