import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/** RFC 9449 §11.6: how far a proof's `iat` may be from our clock. */
const IAT_WINDOW_SECONDS = 300;
/** Asymmetric algorithms only (RFC 9449 §4.2: "MUST NOT be none or an identifier for a symmetric algorithm"). */
const PROOF_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA', 'Ed25519'];

export interface ProofRequest {
  readonly proof: string | undefined;
  readonly method: string;
  /** The request's URL without query and fragment (RFC 9449 §4.3 htu). */
  readonly url: string;
  readonly accessToken: string;
  /** The token's `cnf.jkt` (RFC 9449 §6.1). */
  readonly jkt: string;
}

const invalid = (why: string) => new GatehouseError('ERR_TOKEN_INVALID', `DPoP proof ${why}`);

/**
 * Checks a DPoP proof for a request to a protected resource (RFC 9449 §4.3 and §7.1): signed with
 * the key its header carries, for this method and URL, fresh, bound to this access token (`ath`)
 * and made with the key the token is bound to (`jkt`). A proof's `jti` is remembered for the
 * window in this process so it is not taken twice here (§11.1); instances do not share that memory.
 */
export function createDpopProofs(clock: Clock) {
  const seen = new Map<string, number>();
  const forgetOld = (now: number) => {
    for (const [jti, until] of seen) if (until < now) seen.delete(jti);
  };

  return async function verifyProof(request: ProofRequest): Promise<void> {
    if (!request.proof) throw invalid('missing: a DPoP-bound token needs a DPoP header');
    let payload;
    let jwk: JWK | undefined;
    try {
      const verified = await jwtVerify(request.proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: PROOF_ALGS,
        currentDate: new Date(clock()),
        clockTolerance: IAT_WINDOW_SECONDS,
      });
      payload = verified.payload;
      jwk = verified.protectedHeader.jwk;
    } catch {
      throw invalid('is not a valid signed dpop+jwt');
    }
    const now = Math.floor(clock() / 1000);
    if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > IAT_WINDOW_SECONDS)
      throw invalid('is not fresh');
    if (payload.htm !== request.method) throw invalid('was made for another method');
    let htu: URL;
    try {
      htu = new URL(String(payload.htu));
    } catch {
      throw invalid('has no valid htu');
    }
    if (`${htu.origin}${htu.pathname}` !== request.url) throw invalid('was made for another URL');
    const ath = createHash('sha256').update(request.accessToken).digest('base64url');
    if (payload.ath !== ath) throw invalid('was not made for this access token');
    if (!jwk || (await calculateJwkThumbprint(jwk)) !== request.jkt)
      throw invalid('key is not the one the token is bound to');
    if (typeof payload.jti !== 'string' || payload.jti.length > 200) throw invalid('has no jti');
    forgetOld(now);
    if (seen.has(payload.jti)) throw invalid('was used before');
    seen.set(payload.jti, now + 2 * IAT_WINDOW_SECONDS);
  };
}

export type VerifyDpopProof = ReturnType<typeof createDpopProofs>;
