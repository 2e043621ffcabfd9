import type { PasskeyRow } from './passkey-queries.js';

/** A passkey as the console, the CLI and the sign-in see it: never its public key. */
export interface PasskeySummary {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  /** "multiDevice" when the authenticator may sync it (backup eligible, WebAuthn §6.1.3), else "singleDevice". */
  readonly deviceType: 'singleDevice' | 'multiDevice';
  readonly backedUp: boolean;
  readonly aaguid: string;
  readonly transports: string[];
}

export const toPasskeySummary = (row: PasskeyRow): PasskeySummary => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  deviceType: row.deviceType === 'multiDevice' ? 'multiDevice' : 'singleDevice',
  backedUp: row.backedUp,
  aaguid: row.aaguid,
  transports: row.transports ? row.transports.split(' ') : [],
});
