import { Readable } from 'node:stream';
import type { Context } from 'koa';

/** A request whose body was read already and handed on (handBodyToProvider) carries it here. */
const HANDED_BODY = Symbol('gatehouse.handedBody');
type BodySource = NodeJS.ReadableStream & Readable & { [HANDED_BODY]?: Buffer };

/**
 * Reads the request body, stopping as soon as it grows past `maxBytes` (then resolves undefined and
 * leaves the rest unread: the caller answers 413 and the connection closes). The stream is not
 * destroyed, so the answer still reaches the client. Listens for the stream's events rather than
 * iterating it: a token request's body is one small chunk, and an async iterator's set-up cost
 * more than the read on the hot path.
 */
export function readBoundedBody(req: BodySource, maxBytes: number): Promise<Buffer | undefined> {
  const handed = req[HANDED_BODY];
  if (handed) return Promise.resolve(handed.length > maxBytes ? undefined : handed);
  // Read to its end already (nothing more will come), or torn down before it got there.
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  if (req.destroyed) return Promise.reject(new Error('the request was aborted before its body was complete'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    // The client went away before the body was complete.
    const onClose = () => {
      done();
      reject(new Error('the request was aborted before its body was complete'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    // A listener starts a stream flowing unless someone paused it on purpose: this read wants it all.
    if (req.isPaused()) req.resume();
  });
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
    [HANDED_BODY]: body,
  }) as unknown as Context['req'];
}

/**
 * Hands `body` on to oidc-provider, which reads a request body only through `readable` and
 * `iterator()` (lib/shared/selective_body.js): a body read once is given back without building a
 * stream around it, which cost more than reading it (the token endpoints' hot path). Set on the
 * request itself rather than on an object made with the request as its prototype: V8 turns an
 * object used as a prototype into a slow one, and every later read of the request (Koa's headers,
 * the provider's) paid for it. Only for requests the provider answers or that are read with
 * readBoundedBody: a parser that listens for stream events needs replaceRequestBody.
 */
export function handBodyToProvider(ctx: Context, body: Buffer): void {
  const { req } = ctx;
  req.headers['content-length'] = String(body.length);
  delete req.headers['transfer-encoding'];
  Object.defineProperties(req, {
    readable: { value: true, writable: true, configurable: true },
    readableEncoding: { value: null, writable: true, configurable: true },
    iterator: { value: () => [body], writable: true, configurable: true },
    [HANDED_BODY]: { value: body, writable: true, configurable: true },
  });
}
