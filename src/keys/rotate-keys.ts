import type { AuditService } from '../audit/audit-service.js';
import type { KeyService } from './key-service.js';

/**
 * `gatehouse keys rotate` and POST /admin/api/v1/keys/rotate: new signing keys, retired ones past
 * their publication pruned, and the rotation audited with who asked (the CLI, or an API client).
 */
export async function rotateKeys(
  keys: Pick<KeyService, 'rotate' | 'pruneRetired'>,
  audit: Pick<AuditService, 'record'>,
  actor: { clientId?: string } = {},
): Promise<string[]> {
  const created = await keys.rotate();
  await keys.pruneRetired();
  await audit.record({
    type: 'admin.keys.rotated',
    outcome: 'success',
    clientId: actor.clientId ?? null,
    detail: { created, actor: actor.clientId ? 'api' : 'cli' },
  });
  return created;
}
