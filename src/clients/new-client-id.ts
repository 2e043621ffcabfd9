import { randomBytes } from 'node:crypto';

/**
 * 128 random bits, URL-safe, never starting with `-`: operators pass a client's id as
 * `--client-id ID`, and the CLI's parser would take a leading dash for an option (one id in 64
 * otherwise). For the clients the operator adds and the ones that register themselves alike.
 */
export function newClientId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
