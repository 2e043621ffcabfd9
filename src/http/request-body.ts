import { Readable } from 'node:stream';
import type { Context } from 'koa';

/**
 * Reads the request body, stopping as soon as it grows past `maxBytes` (then resolves undefined and
 * leaves the rest unread: the caller answers 413 and the connection closes). The stream is not
 * destroyed, so the answer still reaches the client.
 */
export async function readBoundedBody(
  req: NodeJS.ReadableStream & Readable,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Hands `body` to whoever reads the request next (our form parsers, oidc-provider's), as if it were
 * the request's own, now with a declared length.
 */
export function replaceRequestBody(ctx: Context, body: Buffer): void {
  const { req } = ctx;
  // Edited in place: Koa's ctx.request (its length, its type) still reads the original request.
  const { headers } = req;
  headers['content-length'] = String(body.length);
  delete headers['transfer-encoding'];
  ctx.req = Object.assign(Readable.from([body]), {
    headers,
    socket: req.socket,
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
  }) as unknown as Context['req'];
}
