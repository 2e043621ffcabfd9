import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../kernel/error-codes.js';
import type { AnyApiRoute } from './api-route.js';
import { ProblemSchema } from './common-schemas.js';
import { PROBLEM_JSON } from './problem.js';

/** Every route may answer these: no or a bad token, a missing scope, a bad request, too many requests. */
const COMMON_ERRORS: readonly ErrorCode[] = [
  'ERR_TOKEN_INVALID',
  'ERR_INSUFFICIENT_SCOPE',
  'ERR_VALIDATION',
  'ERR_THROTTLED',
];

const problemContent = { [PROBLEM_JSON]: { schema: ProblemSchema } };

/**
 * The OpenAPI 3.1 document of the management API, generated from the routes' own zod schemas
 * (@asteasolutions/zod-to-openapi), served at /admin/api/v1/openapi.json: what tools generate
 * clients from. The security scheme is OAuth 2 client credentials at this server's token endpoint.
 */
export function openApiDocument(
  routes: readonly AnyApiRoute[],
  options: { issuer: string; base: string; version: string },
) {
  const registry = new OpenAPIRegistry();
  const issuer = options.issuer.replace(/\/+$/, '');
  registry.registerComponent('securitySchemes', 'managementToken', {
    type: 'oauth2',
    description:
      'A JWT access token for the resource {ISSUER}/admin/api, from the client credentials grant (DPoP-bound tokens too).',
    flows: {
      clientCredentials: {
        tokenUrl: `${issuer}/token`,
        scopes: { 'admin:read': 'Read users, audit events and keys', 'admin:write': 'Make every change' },
      },
    },
  });
  for (const route of routes) {
    const errors = [...new Set([...COMMON_ERRORS, ...route.errors])];
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of errors)
      byStatus.set(ERROR_CODES[code].status, [...(byStatus.get(ERROR_CODES[code].status) ?? []), code]);
    const headers: Record<string, z.ZodType> = {};
    if (route.ifMatch) {
      const tag = z.string().meta({ description: 'The ETag of the resource as read (RFC 9110 §13.1.1)' });
      headers['If-Match'] = route.ifMatch === 'required' ? tag : tag.optional();
    }
    if (route.idempotent)
      headers['Idempotency-Key'] = z
        .string()
        .max(255)
        .optional()
        .meta({ description: 'A retry with the same key returns the first answer instead of creating again' });
    const success = route.success;
    const content: Record<string, { schema: z.ZodType }> = {};
    if (success.schema) content['application/json'] = { schema: success.schema };
    if (success.ndjson) content['application/x-ndjson'] = { schema: z.string() };
    const responseHeaders: Record<string, { description: string; schema: { type: 'string' } }> = {};
    if (success.etag) responseHeaders.ETag = { description: 'The version, for If-Match', schema: { type: 'string' } };
    if (success.status === 201)
      responseHeaders.Location = { description: 'Where the new resource is', schema: { type: 'string' } };
    registry.registerPath({
      method: route.method,
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      security: [{ managementToken: [route.scope] }],
      request: {
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { query: route.query } : {}),
        ...(Object.keys(headers).length ? { headers: z.object(headers) } : {}),
        ...(route.body ? { body: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses: {
        [success.status]: {
          description: success.description,
          ...(Object.keys(responseHeaders).length ? { headers: responseHeaders } : {}),
          ...(Object.keys(content).length ? { content } : {}),
        },
        ...Object.fromEntries(
          [...byStatus].map(([status, codes]) => [status, { description: codes.join(', '), content: problemContent }]),
        ),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse management API',
      version: options.version,
      description:
        'Every admin action over HTTP. Errors are application/problem+json (RFC 9457) with a stable `code`. ' +
        'Updates need If-Match with the ETag read (428 without, 412 when stale); creates take Idempotency-Key.',
    },
    servers: [{ url: `${issuer}${options.base}` }],
  });
}
