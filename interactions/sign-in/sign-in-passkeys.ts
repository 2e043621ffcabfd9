import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import type { MfaActor } from '../../src/mfa/mfa-service.js';
import type { PasskeyFactor } from '../../src/mfa/authentication-context.js';

/** What a sign-in needs of the passkey service (src/passkeys/passkey-service.ts). */
export interface SignInPasskeys {
  beginAuthentication(binding: string, accountId?: string): Promise<PublicKeyCredentialRequestOptionsJSON>;
  finishAuthentication(
    binding: string,
    response: AuthenticationResponseJSON,
    opts: { accountId?: string; requireUserVerification: boolean; actor: MfaActor & { clientId?: string } },
  ): Promise<{
    accountId: string;
    passkey: { deviceType: 'singleDevice' | 'multiDevice'; backedUp: boolean };
    userVerified: boolean;
  }>;
  hasPasskey(accountId: string): Promise<boolean>;
}

// The assertion as the page's script posts it; its inside is the library's to verify (WebAuthn §7.2).
const assertion = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: z.string().max(8192),
    authenticatorData: z.string().max(8192),
    signature: z.string().max(2048),
    userHandle: z.string().max(1024).optional(),
  }),
  clientExtensionResults: z.looseObject({}).default({}),
});
export const passkeyForm = z.object({ response: z.string().max(32768).default('') });

/** The assertion in a posted form's `response` field, or undefined when there is none or it is malformed. */
export function assertionOf(body: unknown): AuthenticationResponseJSON | undefined {
  const form = passkeyForm.safeParse(body ?? {});
  if (!form.success || !form.data.response) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(form.data.response);
  } catch {
    return undefined;
  }
  const parsed = assertion.safeParse(json);
  return parsed.success ? (parsed.data as unknown as AuthenticationResponseJSON) : undefined;
}

/** The factor a passkey assertion proved, for the tokens' amr and acr (authentication-context.ts). */
export const passkeyFactor = (result: Awaited<ReturnType<SignInPasskeys['finishAuthentication']>>): PasskeyFactor => ({
  passkey: {
    synced: result.passkey.deviceType === 'multiDevice' || result.passkey.backedUp,
    userVerified: result.userVerified,
  },
});
