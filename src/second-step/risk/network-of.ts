import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network an address belongs to, as the policy remembers it: IPv4 /24, IPv6 /64 (one
 * customer's prefix under RFC 6177 / RIPE-690; the interface half changes with privacy addresses).
 * Undefined when the address is not an IP (no network, so no memory either).
 */
export function networkOf(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? (mapped[1] as string) : ip;
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(address)) return undefined;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

/** Eight hextets without leading zeros, `::` expanded. */
function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]?.split('::') ?? [''];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...missing, ...right].map((h) => parseInt(h, 16).toString(16));
}
