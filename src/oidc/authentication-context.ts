/**
 * Authentication Method Reference values (RFC 8176) and the Authentication Context Class
 * References Gatehouse asserts in ID tokens (OIDC Core §2 `acr`, `amr`).
 */
export const PASSWORD_AMR = ['pwd'];
export const PASSWORD_ACR = 'urn:gatehouse:acr:password';
