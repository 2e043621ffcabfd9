/**
 * A Passkey row as a test writes it straight to the table: an authenticator without attestation
 * (all-zero AAGUID), not backed up, for id.example.com. `overrides` sets any other column.
 */
export function passkeyRow(accountId: string, id: string, createdAt: Date, overrides: { name?: string } = {}) {
  return {
    id,
    accountId,
    publicKey: 'pk',
    counter: 0n,
    transports: 'internal',
    aaguid: '00000000-0000-0000-0000-000000000000',
    backedUp: false,
    deviceType: 'singleDevice',
    name: overrides.name ?? 'Laptop',
    rpId: 'id.example.com',
    createdAt,
  };
}
