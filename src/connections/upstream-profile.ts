/** Who the upstream provider says signed in, once every check on its answer has passed. */
export interface UpstreamProfile {
  /** The upstream's issuer (the ID token's `iss`; for GitHub, its web origin). */
  readonly issuer: string;
  /** Its stable id for the person (`sub`; GitHub's numeric user id, never the login, which can change). */
  readonly subject: string;
  /** An address the upstream says it verified; undefined when it does not vouch for one. */
  readonly verifiedEmail?: string;
  readonly name?: string;
  /** What the upstream says about how the person signed in there (RFC 8176), and its `acr`. */
  readonly amr: readonly string[];
  readonly acr?: string;
}

/** Why a trip to the upstream ended without an identity: each a readable page, none a 500. */
export type UpstreamFailure =
  | 'denied'
  | 'bad_state'
  | 'wrong_issuer'
  | 'invalid_id_token'
  | 'unavailable'
  | 'invalid_response'
  | 'no_verified_email'
  /** The sign-in option asked for does not exist (removed while its button was on a page, or never was). */
  | 'unknown_connection';

/**
 * The status of the page that says a trip could not start: the provider unreachable 503, to be
 * tried again (RFC 9110 §15.6.4); the sign-in option gone 404; the provider's answer unusable 502
 * (§15.6.3).
 */
export const tripStartStatus = (reason: UpstreamFailure): 503 | 404 | 502 =>
  reason === 'unavailable' ? 503 : reason === 'unknown_connection' ? 404 : 502;

export class UpstreamError extends Error {
  constructor(
    readonly reason: UpstreamFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

const messagesOf = (error: unknown): string => {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    // Not instanceof Error: fetch's errors may come from another realm (a VM context, a test runner).
    const { name, message, code } = e as { name?: unknown; message?: unknown; code?: unknown };
    parts.push(String(name ?? ''), String(message ?? ''), String(code ?? ''));
  }
  return parts.join(' | ');
};

/**
 * Sorts what openid-client (oauth4webapi) threw into the few reasons a person or operator can act
 * on. The library's messages name the failed check (RFC 9207 `iss`, the JWS signature, `nonce`…).
 */
export function classifyUpstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const text = messagesOf(error);
  const say = (reason: UpstreamFailure, message: string) => new UpstreamError(reason, message, { cause: error });
  if (/AuthorizationResponseError/.test(text)) {
    const code = (error as { error?: string }).error ?? 'error';
    return say('denied', `the provider did not sign you in (${code})`);
  }
  // Network failures first: their messages may name the issuer they could not reach.
  if (
    /fetch failed|ECONNREFUSED|ENOTFOUND|timeout|aborted|special-use|socket|RESPONSE_IS_NOT|unexpected HTTP response status/i.test(
      text,
    )
  )
    return say('unavailable', 'the provider could not be reached');
  if (/"iss"|issuer/i.test(text))
    return say('wrong_issuer', 'the answer came from another issuer than the one configured');
  if (/"state"/.test(text)) return say('bad_state', 'the answer does not belong to this sign-in');
  if (/signature|KEY_SELECTION|nonce|JWT|id_token/i.test(text))
    return say('invalid_id_token', 'the ID token failed validation');
  return say('invalid_response', 'the provider gave an answer that could not be used');
}
