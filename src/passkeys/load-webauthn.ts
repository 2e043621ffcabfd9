/**
 * @simplewebauthn/server, loaded at the first passkey ceremony rather than at start: with its
 * X.509 and ASN.1 libraries it is 0.94 MB of the bundle and 3.5 MB of a started server's heap
 * (docs/benchmarks.md, "Memory"), which a server that never sees a passkey would keep for
 * nothing. The bundle puts it in a chunk of its own (scripts/build.js); Node's module cache keeps
 * it once loaded, so later ceremonies only await a settled promise.
 */
export const loadWebAuthn = () => import('@simplewebauthn/server');
