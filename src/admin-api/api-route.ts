import type { Context } from 'koa';
import type { z } from 'zod';
import type { ErrorCode } from '../kernel/error-codes.js';
import type { ManagementScope } from '../resources/management-api.js';
import type { Caller } from './bearer-auth.js';

/** What a handler answers; the framework (mount-route.ts) turns it into the HTTP answer. */
export interface ApiAnswer {
  /** The documented success status unless given (a replayed create keeps its first one). */
  readonly status?: number;
  readonly body?: unknown;
  /** The version of the resource answered with (entity-tag.ts). */
  readonly etag?: string;
  /** For 201: where the new resource is (relative to the API's base path, e.g. `/users/ID`). */
  readonly location?: string;
  /** One JSON value per line (application/x-ndjson), streamed: exports. */
  readonly ndjson?: AsyncIterable<unknown>;
}

export interface ApiRequest<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly caller: Caller;
  /** The If-Match header, for entity-tag.ts's checkIfMatch. */
  readonly ifMatch: string | undefined;
  readonly ctx: Context;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/**
 * One route of the management API, declared once: the schemas that validate its request are the
 * ones its OpenAPI entry is generated from (openapi-document.ts), so the document cannot drift from
 * what the server checks. `path` is in OpenAPI form (`/users/{id}`), relative to /admin/api/v1.
 */
export interface ApiRoute<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
> {
  readonly method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** The scope the token must carry (admin:read for reads, admin:write for every change). */
  readonly scope: ManagementScope;
  /** Strict zod objects: an unknown field is refused with its name (422). */
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** A create that takes an optional Idempotency-Key (idempotent-create.ts). */
  readonly idempotent?: boolean;
  /** Whether it takes If-Match: `required` for in-place updates (428 without), `optional` for actions. */
  readonly ifMatch?: 'required' | 'optional';
  readonly success: {
    readonly status: number;
    readonly description: string;
    readonly schema?: z.ZodType;
    /** The answer carries the resource's ETag. */
    readonly etag?: boolean;
    /** The answer may also be application/x-ndjson (`?format=ndjson`). */
    readonly ndjson?: boolean;
  };
  /** Problem codes this route may answer besides the ones every route may (401, 403, 422, 429). */
  readonly errors: readonly ErrorCode[];
  handle(request: ApiRequest<Infer<P>, Infer<Q>, Infer<B>>): Promise<ApiAnswer>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyApiRoute = ApiRoute<any, any, any>;

/** Declares a route with its types inferred from its schemas. */
export const defineRoute = <
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  route: ApiRoute<P, Q, B>,
): AnyApiRoute => route as AnyApiRoute;

/** `/users/{id}` → `/users/:id`, for @koa/router. */
export const koaPathOf = (path: string): string => path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
