import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GatehouseError } from '../kernel/gatehouse-error.js';

const VERSION = 'v1';

/**
 * Seals private key material with the operator's key-encryption key (AES-256-GCM). The key id is
 * bound as additional data, so a sealed blob cannot be moved onto another key's row.
 */
export function seal(kek: Buffer, kid: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv).setAAD(Buffer.from(kid));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function unseal(kek: Buffer | undefined, kid: string, sealed: string): string {
  if (!kek) {
    throw new GatehouseError(
      'ERR_KEK_REQUIRED',
      `key ${kid} is encrypted at rest: set GATEHOUSE_KEK to the key it was sealed with`,
    );
  }
  const [, iv = '', tag = '', body = ''] = sealed.split('.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'))
      .setAAD(Buffer.from(kid))
      .setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new GatehouseError(
      'ERR_KEK_MISMATCH',
      `key ${kid} cannot be decrypted: the key-encryption key in use (GATEHOUSE_KEK, or else the GATEHOUSE_KEK_FILE file) is not the one it was sealed with`,
    );
  }
}
