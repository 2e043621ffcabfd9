import type { MissingConsent } from './describe-scopes.js';

/** What the consent page says about a device's request, when the interaction is one. */
export interface DeviceRequest {
  /** The address the device asked from, as the provider recorded it. */
  readonly ip?: string;
}

/**
 * The device part of an interaction's consent: undefined for a browser sign-in. A device's consent
 * page is shown even when nothing new is asked (src/oidc/device-flow.ts), and then lists everything
 * the device asks for rather than nothing.
 */
export async function deviceConsentOf(
  interaction: { deviceCode?: string; params: Record<string, unknown> },
  findDeviceCode: (id: string) => Promise<{ deviceInfo?: Record<string, unknown> } | undefined>,
  missing: MissingConsent,
): Promise<{ device: DeviceRequest; asked: MissingConsent } | undefined> {
  if (!interaction.deviceCode) return undefined;
  const code = await findDeviceCode(interaction.deviceCode);
  const ip = code?.deviceInfo?.ip;
  const nothingMissing =
    !missing.missingOIDCScope?.length &&
    !missing.missingOIDCClaims?.length &&
    !Object.keys(missing.missingResourceScopes ?? {}).length;
  const scope = typeof interaction.params.scope === 'string' ? interaction.params.scope : '';
  return {
    device: { ip: typeof ip === 'string' ? ip : undefined },
    asked: nothingMissing ? { missingOIDCScope: scope.split(' ').filter(Boolean) } : missing,
  };
}
