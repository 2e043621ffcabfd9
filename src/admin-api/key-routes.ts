import { z } from 'zod';
import type { AuditService } from '../audit/audit-service.js';
import type { KeyService } from '../keys/key-service.js';
import { rotateKeys } from '../keys/rotate-keys.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';

const KeySchema = z
  .object({
    kid: z.string(),
    use: z.string(),
    alg: z.string(),
    status: z.enum(['active', 'retired', 'expired']),
    created_at: z.string(),
    retired_at: z.string().nullable(),
    published_until: z.string().nullable(),
  })
  .meta({ id: 'Key' });

/** Signing and cookie keys (never their secrets), and their rotation (as `gatehouse keys …`). */
export function keyRoutes({ keys, audit }: { keys: KeyService; audit: AuditService }): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/keys',
      operationId: 'listKeys',
      summary: 'List signing and cookie keys (never their secrets)',
      tag: 'keys',
      scope: 'admin:read',
      success: { status: 200, description: 'The keys', schema: z.object({ items: z.array(KeySchema) }) },
      errors: [],
      async handle() {
        const items = (await keys.list()).map((k) => ({
          kid: k.kid,
          use: k.use,
          alg: k.alg,
          status: k.status,
          created_at: k.createdAt,
          retired_at: k.retiredAt,
          published_until: k.publishedUntil,
        }));
        return { body: { items } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/keys/rotate',
      operationId: 'rotateKeys',
      summary: 'Add new signing keys; the previous ones stay published until their tokens expire',
      tag: 'keys',
      scope: 'admin:write',
      success: {
        status: 200,
        description: 'The new keys',
        schema: z.object({ created: z.array(z.string()) }).meta({ id: 'RotatedKeys' }),
      },
      errors: [],
      async handle({ caller }) {
        return { body: { created: await rotateKeys(keys, audit, { clientId: caller.clientId }) } };
      },
    }),
  ];
}
