import { generateKeyPair as generateKeyPairCb, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { seal, unseal } from './key-sealing.js';
import type { KeyQueries, KeyRow } from './key-queries.js';
import { CLOCK_SKEW, MAX_SIGNED_TOKEN_TTL } from '../kernel/token-lifetimes.js';
import type { Clock } from '../kernel/clock.js';

const generateKeyPair = promisify(generateKeyPairCb);

/** RS256 signs ID tokens by default (OIDC Core §15.1 makes it mandatory to implement); ES256 on request. */
export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** A retired key stays in the JWKS until every token it signed has expired. */
export const RETIRED_KEY_PUBLISHED_MS = (MAX_SIGNED_TOKEN_TTL + CLOCK_SKEW) * 1000;

export interface KeyInfo {
  readonly kid: string;
  readonly use: string;
  readonly alg: string;
  readonly status: 'active' | 'retired' | 'expired';
  readonly createdAt: string;
  readonly retiredAt: string | null;
  readonly publishedUntil: string | null;
  readonly encrypted: boolean;
}

async function newSigningJwk(alg: SigningAlg): Promise<JWK> {
  const { privateKey } =
    alg === 'RS256'
      ? await generateKeyPair('rsa', { modulusLength: 2048 })
      : await generateKeyPair('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg, use: 'sig' };
}

export interface KeyServiceOptions {
  readonly kek?: Buffer;
  readonly clock: Clock;
}

export function createKeyService(keys: KeyQueries, { kek, clock }: KeyServiceOptions) {
  const store = async (kid: string, use: 'sig' | 'cookie', alg: string, secret: unknown) => {
    const plain = JSON.stringify(secret);
    await keys.insert({
      kid,
      use,
      alg,
      createdAt: new Date(clock()),
      material: kek ? seal(kek, kid, plain) : plain,
      sealed: Boolean(kek),
    });
  };
  const open = <T>(row: KeyRow): T => JSON.parse(row.sealed ? unseal(kek, row.kid, row.material) : row.material) as T;
  const publishedUntil = (row: KeyRow) => (row.retiredAt ? row.retiredAt.getTime() + RETIRED_KEY_PUBLISHED_MS : null);
  const isPublished = (row: KeyRow) => (publishedUntil(row) ?? Infinity) > clock();

  const addSigningKey = async (alg: SigningAlg) => {
    const jwk = await newSigningJwk(alg);
    await store(jwk.kid as string, 'sig', alg, jwk);
    return jwk.kid as string;
  };

  return {
    /** Creates what is missing: one active key per signing algorithm and one cookie secret. */
    async ensureKeys(): Promise<string[]> {
      const created: string[] = [];
      const active = (await keys.list('sig')).filter((row) => !row.retiredAt);
      for (const alg of SIGNING_ALGS) {
        if (!active.some((row) => row.alg === alg)) created.push(await addSigningKey(alg));
      }
      if ((await keys.list('cookie')).length === 0) {
        const kid = randomBytes(9).toString('base64url');
        await store(kid, 'cookie', 'HS256', randomBytes(32).toString('base64url'));
        created.push(kid);
      }
      return created;
    },

    /**
     * Seals key material stored in the clear by earlier versions (ASVS 4.0 §6.4.1); returns the
     * kids sealed. Needs the KEK: run at start, after it is resolved.
     */
    async sealUnsealed(): Promise<string[]> {
      if (!kek) return [];
      const sealed: string[] = [];
      for (const row of await keys.listUnsealed()) {
        if (await keys.sealMaterial(row.kid, seal(kek, row.kid, row.material))) sealed.push(row.kid);
      }
      return sealed;
    },

    /** The provider's private JWKS: active keys first (they sign), then retired ones still published. */
    async signingJwks(): Promise<{ keys: JWK[] }> {
      const rows = (await keys.list('sig')).filter(isPublished);
      const ordered = [...rows.filter((r) => !r.retiredAt), ...rows.filter((r) => r.retiredAt)];
      return { keys: ordered.map((row) => open<JWK>(row)) };
    },

    /** Identifies the published key set: changes when a key is added, retired or stops being published. */
    async keySet(): Promise<string> {
      const sig = (await keys.list('sig')).filter(isPublished).map((r) => `${r.kid}${r.retiredAt ? '-' : '+'}`);
      const cookie = (await keys.list('cookie')).map((r) => r.kid);
      return [...sig, '|', ...cookie].join(',');
    },

    /** Cookie-signing secrets, newest first: the first signs, all verify. */
    async cookieKeys(): Promise<string[]> {
      return (await keys.list('cookie')).map((row) => open<string>(row));
    },

    /** Adds a new key per algorithm and retires the previous ones (still published for a while). */
    async rotate(): Promise<string[]> {
      const created: string[] = [];
      for (const alg of SIGNING_ALGS) {
        const kid = await addSigningKey(alg);
        await keys.retireAllBut('sig', alg, kid, new Date(clock()));
        created.push(kid);
      }
      return created;
    },

    /** Forgets retired keys nothing valid can carry any more. */
    async pruneRetired(): Promise<number> {
      return keys.deleteRetiredBefore('sig', new Date(clock() - RETIRED_KEY_PUBLISHED_MS));
    },

    /** When the newest active signing key was made (the metrics report its age), if there is one. */
    async newestSigningKeyAt(): Promise<Date | undefined> {
      const active = (await keys.list('sig')).filter((row) => !row.retiredAt);
      return active.length ? new Date(Math.max(...active.map((row) => row.createdAt.getTime()))) : undefined;
    },

    async list(): Promise<KeyInfo[]> {
      const rows = [...(await keys.list('sig')), ...(await keys.list('cookie'))];
      return rows.map((row) => {
        const until = publishedUntil(row);
        return {
          kid: row.kid,
          use: row.use,
          alg: row.alg,
          status: !row.retiredAt ? 'active' : isPublished(row) ? 'retired' : 'expired',
          createdAt: row.createdAt.toISOString(),
          retiredAt: row.retiredAt?.toISOString() ?? null,
          publishedUntil: until ? new Date(until).toISOString() : null,
          encrypted: row.sealed,
        };
      });
    },
  };
}

export type KeyService = ReturnType<typeof createKeyService>;
