/** The parts of oidc-provider's SSRF guard Gatehouse reuses (guarded-fetch.ts); the module has no types. */
declare module 'oidc-provider/lib/helpers/fetch_request.js' {
  export function applySSRFProtection<T>(dispatcher: T): T;
  export function isSpecialUseIP(address: string): boolean;
}
