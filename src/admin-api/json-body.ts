import type { Context } from 'koa';
import { MAX_BODY_BYTES } from '../http/body-limit.js';
import { readBoundedBody } from '../http/request-body.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/**
 * A request's JSON body. bodyLimit (src/http/body-limit.ts) has already refused anything over
 * MAX_BODY_BYTES; the bounded read guards against reordering. Only `application/json` is taken.
 */
export async function readJsonBody(ctx: Context): Promise<unknown> {
  const length = Number(ctx.get('Content-Length') || '0');
  if (!ctx.get('Transfer-Encoding') && length === 0) return undefined;
  if (!ctx.is('application/json'))
    throw new GatehouseError('ERR_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  const raw = await readBoundedBody(ctx.req, MAX_BODY_BYTES);
  if (!raw) throw new GatehouseError('ERR_BODY_TOO_LARGE', `the body is larger than ${MAX_BODY_BYTES} bytes`);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new GatehouseError('ERR_BAD_REQUEST', 'the body is not valid JSON');
  }
}
