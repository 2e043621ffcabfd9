import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface CertificateFiles {
  readonly keyFile: string;
  readonly certFile: string;
}

/**
 * A one-day self-signed P-256 certificate, made with the system's openssl into `dir` (key.pem,
 * cert.pem), for loopback TLS servers in tests. `altNames` is the subjectAltName value, e.g.
 * `DNS:localhost,IP:127.0.0.1`.
 */
export function selfSignedCertificate(dir: string, commonName: string, altNames: string): CertificateFiles {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      `subjectAltName=${altNames}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { keyFile, certFile };
}
