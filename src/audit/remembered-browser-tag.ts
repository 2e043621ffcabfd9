import { createHash } from 'node:crypto';

/** The key under which audit events name the remembered browser that made them. */
export const REMEMBERED_BROWSER_KEY = 'rememberedBrowser';

/**
 * How the audit trail names a remembered browser: a digest of its TrustedDevice id, so events can
 * be attributed to the browser that made them without the trail holding the cookie's value
 * (ASVS 4.0 §7.1.1: no credentials in logs). Lower-case hex, so a text match finds it on every store.
 */
export function rememberedBrowserTag(deviceId: string): string {
  return createHash('sha256').update(`gatehouse remembered browser:${deviceId}`).digest('hex').slice(0, 32);
}

/** The audit detail that attributes an event to this remembered browser. */
export function rememberedBrowserDetail(deviceId: string): {
  readonly browser: 'remembered';
  readonly [REMEMBERED_BROWSER_KEY]: string;
} {
  return { browser: 'remembered', [REMEMBERED_BROWSER_KEY]: rememberedBrowserTag(deviceId) };
}
