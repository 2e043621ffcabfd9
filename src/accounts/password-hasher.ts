import argon2 from 'argon2';

/** argon2id cost. OWASP's minimum is m=19 MiB, t=2, p=1; we default above it. */
export interface Argon2Params {
  readonly memoryKiB: number;
  readonly iterations: number;
  readonly parallelism: number;
}

export const DEFAULT_ARGON2: Argon2Params = Object.freeze({ memoryKiB: 19456, iterations: 2, parallelism: 1 });

export function createPasswordHasher(params: Argon2Params = DEFAULT_ARGON2) {
  const options = {
    type: argon2.argon2id,
    memoryCost: params.memoryKiB,
    timeCost: params.iterations,
    parallelism: params.parallelism,
  } as const;
  // Whether a hash needs redoing depends only on its head (`$argon2id$v=19$m=…,p=…,t=…`, the PHC
  // string before salt and digest): argon2.needsRehash parses the whole string at every sign-in,
  // so its answer is kept per head. Stored hashes have few heads (one per cost ever configured).
  const answers = new Map<string, boolean>();

  return {
    // argon2 hashes on libuv's thread pool, so the event loop keeps serving while it works.
    hash: (password: string) => argon2.hash(password, options),
    verify: async (hash: string, password: string) => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
    /** True when a stored hash was made with other parameters and should be redone at sign-in. */
    needsRehash: (hash: string) => {
      const head = hash.slice(0, Math.max(0, hash.lastIndexOf('$', hash.lastIndexOf('$') - 1)));
      let answer = answers.get(head);
      if (answer === undefined) {
        answer = argon2.needsRehash(hash, options);
        if (answers.size < 16) answers.set(head, answer);
      }
      return answer;
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
