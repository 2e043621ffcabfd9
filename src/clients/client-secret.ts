import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets are stored as a SHA-256 hash, never in the clear (ASVS 2.10.2 / 13.3: no secret
 * readable from the store). A plain hash suffices because the secret is 256 bits from the CSPRNG:
 * there is nothing to guess, so a slow password hash would add cost and no strength. Nothing
 * needs the secret itself: client_secret_jwt and every HS* algorithm are off
 * (token-configuration.ts), so the provider never keys an HMAC with it.
 */
export const HASHED_SECRET_PREFIX = 'sha256:';

/** 256 bits from the CSPRNG, URL-safe: shown once, then only its hash is kept. */
export const newClientSecret = (): string => randomBytes(32).toString('base64url');

export const hashClientSecret = (secret: string): string =>
  `${HASHED_SECRET_PREFIX}${createHash('sha256').update(secret, 'utf8').digest('base64url')}`;

export const isHashedSecret = (stored: string): boolean => stored.startsWith(HASHED_SECRET_PREFIX);

/**
 * Whether `presented` is the secret behind `stored`, in constant time (ASVS 11.2.4): both sides are
 * hashed to the same length first. A `stored` value without the prefix is a secret written before
 * hashing existed (upgraded by `gatehouse migrate` and at start, see hash-legacy-client-secrets.ts)
 * and is compared the same way, so a row still in the clear never stops working mid-upgrade.
 */
export function clientSecretMatches(stored: unknown, presented: unknown): boolean {
  if (typeof stored !== 'string' || stored === '' || typeof presented !== 'string' || presented === '') return false;
  const expected = Buffer.from(isHashedSecret(stored) ? stored : hashClientSecret(stored));
  const actual = Buffer.from(hashClientSecret(presented));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
