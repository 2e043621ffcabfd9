import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { cborEncode, type CborValue } from './cbor-encode.js';

/**
 * A software passkey authenticator and the browser in front of it, for tests: it answers the JSON
 * options the server sends the way navigator.credentials.create()/get() would, with a real ES256 key
 * pair, attestation "none", authenticator data (WebAuthn §6.1: rpIdHash, flags, counter, attested
 * credential data) and a signature over authenticatorData ‖ SHA-256(clientDataJSON) (§6.3.3).
 *
 * A backed-up (synced) authenticator keeps its counter at zero, as the synced passkey providers do;
 * a device-bound one counts up by one per assertion. Per call, `origin`/`rpId` can be overridden to
 * play a phishing or tampered client, and `counter` to play a cloned key.
 */
export interface SoftwareAuthenticatorOptions {
  origin: string;
  rpId: string;
  userVerified?: boolean;
  backedUp?: boolean;
  aaguid?: string;
}

interface Overrides {
  origin?: string;
  rpId?: string;
  userVerified?: boolean;
  counter?: number;
  credentialId?: string;
}

interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 };
const b64url = (bytes: Buffer) => bytes.toString('base64url');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

function coseKeyOf(privateKey: KeyObject): Buffer {
  const jwk = privateKey.export({ format: 'jwk' });
  // RFC 9053 §7.1.1: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y
  return cborEncode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x as string, 'base64url')],
      [-3, Buffer.from(jwk.y as string, 'base64url')],
    ]),
  );
}

export function createSoftwareAuthenticator(settings: SoftwareAuthenticatorOptions) {
  const credentials: StoredCredential[] = [];
  const aaguid = Buffer.from((settings.aaguid ?? '00000000-0000-0000-0000-000000000000').replace(/-/g, ''), 'hex');

  function flagsFor(userVerified: boolean, extra = 0) {
    const backup = settings.backedUp ? FLAG.BE | FLAG.BS : 0;
    return FLAG.UP | (userVerified ? FLAG.UV : 0) | backup | extra;
  }

  function authData(rpId: string, flags: number, counter: number, attested?: Buffer) {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  const clientData = (type: string, challenge: string, origin: string) =>
    Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  function register(options: PublicKeyCredentialCreationOptionsJSON, over: Overrides = {}): RegistrationResponseJSON {
    if (!options.pubKeyCredParams.some((p) => p.alg === -7)) throw new Error('NotSupportedError: no ES256');
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (credentials.some((c) => excluded.has(b64url(c.id)))) throw new Error('InvalidStateError: already registered');
    const rpId = over.rpId ?? options.rp.id ?? settings.rpId;
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(16);
    credentials.push({ id, privateKey, rpId, userHandle: options.user.id, counter: 0 });
    const length = Buffer.alloc(2);
    length.writeUInt16BE(id.length);
    const attested = Buffer.concat([aaguid, length, id, coseKeyOf(privateKey)]);
    const data = authData(rpId, flagsFor(over.userVerified ?? settings.userVerified ?? true, FLAG.AT), 0, attested);
    const attestationObject = cborEncode(
      new Map<string, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, CborValue>()],
        ['authData', data],
      ]),
    );
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData('webauthn.create', options.challenge, over.origin ?? settings.origin)),
        attestationObject: b64url(attestationObject),
        transports: ['hybrid', 'internal'],
      },
    };
  }

  function authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    over: Overrides = {},
  ): AuthenticationResponseJSON {
    const rpId = over.rpId ?? options.rpId ?? settings.rpId;
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const usable = credentials.filter(
      (c) =>
        (over.credentialId ? b64url(c.id) === over.credentialId : allowed.size === 0 || allowed.has(b64url(c.id))) &&
        (over.rpId !== undefined || c.rpId === rpId),
    );
    const credential = usable.at(-1);
    if (!credential) throw new Error('NotAllowedError: no credential for this request');
    credential.counter = over.counter ?? (settings.backedUp ? 0 : credential.counter + 1);
    const data = authData(rpId, flagsFor(over.userVerified ?? settings.userVerified ?? true), credential.counter);
    const client = clientData('webauthn.get', options.challenge, over.origin ?? settings.origin);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(client),
        authenticatorData: b64url(data),
        signature: b64url(sign('sha256', Buffer.concat([data, sha256(client)]), credential.privateKey)),
        userHandle: credential.userHandle,
      },
    };
  }

  /** A credential as the DevTools Protocol's WebAuthn.addCredential takes it (binary fields in base64). */
  function virtualCredential(credentialId: string) {
    const found = credentials.find((c) => b64url(c.id) === credentialId);
    if (!found) throw new Error(`no credential ${credentialId}`);
    return {
      credentialId: found.id.toString('base64'),
      isResidentCredential: true,
      rpId: found.rpId,
      privateKey: found.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      userHandle: Buffer.from(found.userHandle, 'base64url').toString('base64'),
      signCount: found.counter,
    };
  }

  return { register, authenticate, virtualCredential, credentialIds: () => credentials.map((c) => b64url(c.id)) };
}

export type SoftwareAuthenticator = ReturnType<typeof createSoftwareAuthenticator>;
