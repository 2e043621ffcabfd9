/**
 * A default name for a new passkey, from the AAGUID its authenticator reported (WebAuthn §6.5.1),
 * for the providers most people use. The list is the public, community-kept one
 * (github.com/passkeydeveloper/passkey-authenticator-aaguids); anything else falls back to the
 * browser's description the caller passes, or "Passkey".
 */
const KNOWN: Readonly<Record<string, string>> = {
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': 'Google Password Manager',
  'adce0002-35bc-c60a-648b-0b25f1f05503': 'Chrome on Mac',
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': 'iCloud Keychain',
  'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': 'iCloud Keychain (Managed)',
  '08987058-cadc-4b81-b6e1-30de50dcbe96': 'Windows Hello',
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': 'Windows Hello',
  '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': 'Windows Hello',
  'bada5566-a7aa-401f-bd96-45619a55120d': '1Password',
  'd548826e-79b4-db40-a3d8-11116f7e8349': 'Bitwarden',
  '531126d6-e717-415c-9320-3d9aa6981239': 'Dashlane',
};

/** The longest name kept: it is shown in lists and mails, not a document. */
export const PASSKEY_NAME_MAX = 64;
/** The longest credential id taken (WebAuthn §5.1: at most 1023 bytes, as base64url a little more). */
export const CREDENTIAL_ID_MAX = 1024;

/** A name as typed: trimmed, inner whitespace collapsed, control characters dropped; undefined when nothing is left. */
export function cleanPasskeyName(name: string | undefined): string | undefined {
  const cleaned = (name ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .trim();
  return cleaned ? cleaned.slice(0, PASSKEY_NAME_MAX) : undefined;
}

export const defaultPasskeyName = (aaguid: string, fallback?: string): string =>
  KNOWN[aaguid] ?? cleanPasskeyName(fallback) ?? 'Passkey';
