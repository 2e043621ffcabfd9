import type { Configuration } from 'oidc-provider';

/**
 * The token half of the provider's configuration: grant types, resource indicators, token
 * formats, introspection and revocation policies, refresh-token rotation, PAR and DPoP.
 * Merged over the base configuration in provider-configuration.ts.
 */
export function tokenConfiguration(): Partial<Configuration> {
  return {};
}
