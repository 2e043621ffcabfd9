import { decodeJwt } from 'jose';
import type { Clock } from '../kernel/clock.js';
import { STRUCTURED_MODEL, type OidcRecordQueries } from '../db/oidc-record-queries.js';

/**
 * oidc-provider keeps no record of the JWT access tokens it issues (RFC 9068): the token is the
 * record. To answer introspection and honour revocation for them (RFC 7662 §2.2 "active", RFC 7009)
 * we keep a small row per issued JWT, keyed by its `jti`, under a model of our own. It is never a
 * bearer credential: the provider never looks this model up, so knowing a `jti` grants nothing.
 * The provider tells us of each issued JWT through an override (provider-overrides.ts). The rows
 * are kept under STRUCTURED_MODEL (db/oidc-record-queries.ts).
 */

export interface StructuredTokenRecord {
  readonly jti: string;
  readonly kind: 'AccessToken' | 'ClientCredentials';
  readonly clientId: string;
  readonly accountId?: string;
  readonly grantId?: string;
  readonly sessionUid?: string;
  readonly sid?: string;
  readonly expiresWithSession?: boolean;
  readonly aud?: string | string[];
  readonly exp: number;
}

/** The fields oidc-provider sets on AccessToken and ClientCredentials instances. */
export interface IssuedToken {
  kind: 'AccessToken' | 'ClientCredentials';
  format?: string;
  clientId: string;
  accountId?: string;
  grantId?: string;
  sessionUid?: string;
  sid?: string;
  expiresWithSession?: boolean;
}

export function createStructuredAccessTokens(records: OidcRecordQueries, clock: Clock) {
  const now = () => new Date(clock());
  return {
    /** `jwt` is the token as issued: its jti, exp and aud are the ones the API will see. */
    async remember(token: IssuedToken, jwt: string): Promise<void> {
      const { jti, exp, aud } = decodeJwt(jwt);
      if (typeof jti !== 'string' || typeof exp !== 'number')
        throw new Error('ERR_STRUCTURED_TOKEN: issued JWT lacks jti or exp');
      const record: StructuredTokenRecord = {
        jti,
        kind: token.kind,
        clientId: token.clientId,
        accountId: token.accountId,
        grantId: token.grantId,
        sessionUid: token.sessionUid,
        sid: token.sid,
        expiresWithSession: token.expiresWithSession,
        aud,
        exp,
      };
      await records.upsert({
        model: STRUCTURED_MODEL,
        id: jti,
        payload: JSON.stringify(record),
        grantId: token.grantId ?? null,
        userCode: null,
        uid: null,
        accountId: null,
        // Swept with every other expired row once the JWT itself has expired.
        expiresAt: new Date(exp * 1000),
      });
    },

    async find(jti: string): Promise<StructuredTokenRecord | undefined> {
      const row = await records.findLive(STRUCTURED_MODEL, jti, now());
      return row ? (JSON.parse(row.payload) as StructuredTokenRecord) : undefined;
    },

    forget: (jti: string) => records.destroy(STRUCTURED_MODEL, jti),

    forgetGrant: (grantId: string) => records.destroyByGrantId(STRUCTURED_MODEL, grantId),
  };
}

export type StructuredAccessTokens = ReturnType<typeof createStructuredAccessTokens>;
