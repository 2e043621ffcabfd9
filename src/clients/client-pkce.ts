/**
 * Whether a client must send PKCE (RFC 7636) with its authorization requests. Required of every
 * client unless an operator registered a confidential one with `--pkce optional`: software that
 * cannot send it (Apache mod_auth_openidc by default, older Spring Security) then still signs in,
 * its code protected by its secret at the token endpoint (RFC 9700 §2.1.1 allows this for
 * confidential clients that use nonce). A public client has no secret, so PKCE is its only
 * protection against code injection and stays required (OAuth 2.1 §7.5.1).
 */
export const PKCE_REQUIRED = 'pkce_required';

export const PKCE_MODES = ['required', 'optional'] as const;
export type PkceMode = (typeof PKCE_MODES)[number];

/** The client's PKCE mode from its metadata (or the provider's Client): required unless set false. */
export function clientPkceMode(client: object | undefined): PkceMode {
  return (client as Record<string, unknown> | undefined)?.[PKCE_REQUIRED] === false ? 'optional' : 'required';
}

/** Why the value (with the rest of the client's metadata) is not allowed, or undefined. */
export function pkceRequiredProblem(
  value: unknown,
  metadata: { token_endpoint_auth_method?: unknown; tokenEndpointAuthMethod?: unknown },
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') return `${PKCE_REQUIRED} must be true or false`;
  const method = metadata.token_endpoint_auth_method ?? metadata.tokenEndpointAuthMethod;
  if (value === false && method === 'none')
    return 'PKCE stays required of public clients (--auth-method none): they have no secret to protect their codes';
  return undefined;
}

/** The refusal a client without PKCE gets, naming the setting an operator can change. */
export const pkceRefusal = (clientId: string) =>
  `PKCE is required: send code_challenge with code_challenge_method=S256. If this client cannot, an operator may allow it with gatehouse client update --client-id ${clientId} --pkce optional (confidential clients only)`;
