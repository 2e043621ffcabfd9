import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../kernel/clock.js';

/**
 * Device cookies, as in OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser
 * that has signed in to an account holds a signed token naming that account and a random device
 * id. Its sign-ins to that account are throttled on their own counter, so failures from elsewhere
 * cannot lock the owner out of a browser they have used before.
 */
export interface KnownDevice {
  readonly accountId: string;
  readonly deviceId: string;
}

/** Long-lived by design: the point is to recognise a browser months later. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;
const VERSION = 'd1';

export interface DeviceCookieDeps {
  /** The stored cookie keys, newest first; any of them verifies, the first one signs. */
  readonly cookieKeys: () => Promise<readonly string[]>;
  readonly clock: Clock;
}

export function createDeviceCookies({ cookieKeys, clock }: DeviceCookieDeps) {
  // A key of its own per cookie key (domain separation from the provider's cookie signatures).
  // Derived once per key set (the array changes only when the keys do).
  const derived = new WeakMap<readonly string[], Buffer[]>();
  const macKeys = async () => {
    const keys = await cookieKeys();
    let macs = derived.get(keys);
    if (!macs)
      derived.set(
        keys,
        (macs = keys.map((key) => createHmac('sha256', key).update('gatehouse device cookie').digest())),
      );
    return macs;
  };
  const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

  return {
    /** A new device token for a browser that has just signed in to `accountId`. */
    async issue(accountId: string): Promise<string> {
      const [key] = await macKeys();
      if (!key) throw new Error('no cookie key is stored');
      const payload = [VERSION, accountId, randomBytes(16).toString('base64url'), Math.floor(clock() / 1000)].join('.');
      return `${payload}.${mac(key, payload).toString('base64url')}`;
    },

    /** The device a token stands for, or undefined when it is malformed, forged or expired. */
    async verify(token: string | undefined): Promise<KnownDevice | undefined> {
      const parts = token?.split('.') ?? [];
      if (parts.length !== 5 || parts[0] !== VERSION) return undefined;
      const [, accountId = '', deviceId = '', issued = '', signature = ''] = parts;
      const given = Buffer.from(signature, 'base64url');
      const payload = parts.slice(0, 4).join('.');
      const valid = (await macKeys()).some((key) => {
        const expected = mac(key, payload);
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
      const age = clock() / 1000 - Number(issued);
      if (!valid || !(age >= 0 && age < DEVICE_COOKIE_MAX_AGE_SECONDS)) return undefined;
      return { accountId, deviceId };
    },
  };
}

export type DeviceCookies = ReturnType<typeof createDeviceCookies>;
