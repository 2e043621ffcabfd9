import type { Context, Middleware, Next } from 'koa';
import { readBoundedBody, replaceRequestBody } from '../http/request-body.js';
import {
  DEFAULT_DYNAMIC_AUTH_METHOD,
  DYNAMIC_CLIENT,
  MAX_DYNAMIC_METADATA_BYTES,
} from '../clients/dynamic-client-policy.js';
import type { AddressRequestThrottle } from '../throttle/address-request-throttle.js';
import type { AuditService } from '../audit/audit-service.js';

/** oidc-provider's registration endpoint (its default route, which we keep). */
export const REGISTRATION_PATH = '/reg';

/** CLIENT_REGISTRATION=open: registrations per client address and hour. An agent registers once per install. */
export const OPEN_REGISTRATION_BUDGET = Object.freeze({ points: 20, windowSeconds: 60 * 60 });

export interface RegistrationGateDeps {
  /** CLIENT_REGISTRATION; off when not given. */
  readonly clientRegistration?: 'off' | 'token' | 'open';
  /** Counts registrations per address; only with CLIENT_REGISTRATION=open. */
  readonly registrationThrottle?: AddressRequestThrottle;
  /** Where a refused flood is recorded (the address; never the metadata). */
  readonly audit?: Pick<AuditService, 'record'>;
}

function refuse(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

/**
 * What runs before the provider's registration endpoints (RFC 7591 §3.1 POST, RFC 7592 §2.2 PUT):
 * with open registration, each address's registrations are counted first (atomically) and refused
 * past the budget; metadata over MAX_DYNAMIC_METADATA_BYTES is refused before it is parsed; and a
 * client that names no token_endpoint_auth_method is registered as public (the provider would
 * otherwise make it a secret, which strangers never get). The metadata rules themselves run in
 * the provider's client validation (dynamic-clients.ts), for registration, update and metadata
 * documents alike, so a refusal stores nothing.
 */
export function registrationGate(deps: RegistrationGateDeps): Middleware {
  const concerned = (path: string) =>
    (deps.clientRegistration ?? 'off') !== 'off' &&
    (path === REGISTRATION_PATH || path.startsWith(`${REGISTRATION_PATH}/`));
  const gate = async (ctx: Context, next: Next) => {
    const create = ctx.method === 'POST' && ctx.path === REGISTRATION_PATH;
    const update = ctx.method === 'PUT';
    if (!create && !update) return hidingOurMark(ctx, next);

    if (create && deps.registrationThrottle) {
      const wait = await deps.registrationThrottle.take(ctx.ip);
      if (wait > 0) {
        ctx.set('Retry-After', String(wait));
        ctx.state.log?.warn({ ip: ctx.ip }, 'client registration throttled');
        await deps.audit?.record({
          type: 'client.registration_throttled',
          outcome: 'blocked',
          ip: ctx.ip,
          userAgent: ctx.get('user-agent') || null,
          detail: { retryAfter: wait },
        });
        return refuse(
          ctx,
          429,
          'invalid_request',
          `too many client registrations from this address; try again in ${wait} seconds`,
        );
      }
    }

    const tooLarge = `client metadata must be at most ${MAX_DYNAMIC_METADATA_BYTES} bytes`;
    if (Number(ctx.get('Content-Length') || 0) > MAX_DYNAMIC_METADATA_BYTES) {
      // The body stays unread: it must not be taken for the next request.
      ctx.set('Connection', 'close');
      return refuse(ctx, 400, 'invalid_client_metadata', tooLarge);
    }
    const body = await readBoundedBody(ctx.req, MAX_DYNAMIC_METADATA_BYTES);
    if (!body) {
      ctx.set('Connection', 'close');
      return refuse(ctx, 400, 'invalid_client_metadata', tooLarge);
    }
    replaceRequestBody(ctx, withDefaultAuthMethod(body));
    return hidingOurMark(ctx, next);
  };
  // Not async on the way past: every request goes by here, and an async frame each is CPU on the token endpoints.
  return (ctx, next) => (concerned(ctx.path) ? gate(ctx, next) : next());
}

/**
 * The kind mark (DYNAMIC_CLIENT) is ours, not the client's: it stays out of every registration
 * answer. RFC 7592 §2.2 has a client send back the metadata it read, and a mark sent back would be
 * refused as a property the client may not set.
 */
async function hidingOurMark(ctx: Context, next: () => Promise<unknown>): Promise<void> {
  await next();
  const body = ctx.body as Record<string, unknown> | null | undefined;
  if (body && typeof body === 'object' && !Buffer.isBuffer(body) && DYNAMIC_CLIENT in body) {
    const { [DYNAMIC_CLIENT]: _mark, ...answer } = body;
    ctx.body = answer;
  }
}

/** The body with `token_endpoint_auth_method: none` when it is a JSON object naming none; else as it came. */
function withDefaultAuthMethod(body: Buffer): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return body; // the provider answers invalid_request for what is not JSON
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body;
  if ((parsed as Record<string, unknown>).token_endpoint_auth_method !== undefined) return body;
  return Buffer.from(JSON.stringify({ ...parsed, token_endpoint_auth_method: DEFAULT_DYNAMIC_AUTH_METHOD }));
}
