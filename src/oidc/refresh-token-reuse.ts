import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { AuditService } from '../audit/audit-service.js';

/**
 * The two ways a spent refresh token shows up at the token endpoint: oidc-provider finds it
 * already consumed (a replay after the fact), or our adapter's conditional `consume` loses a race
 * to a concurrent use of the same token (prisma-adapter.ts). Either way the grant, with every
 * access and refresh token under it, has already been revoked by then.
 */
const REUSE_DETAILS = new Set(['refresh token already used', 'RefreshToken already consumed']);

export function isRefreshTokenReuse(ctx: KoaContextWithOIDC, error: unknown): boolean {
  return (
    error instanceof errors.InvalidGrant &&
    ctx.oidc?.params?.grant_type === 'refresh_token' &&
    REUSE_DETAILS.has(String(error.error_detail))
  );
}

/**
 * Records every reuse of a rotated refresh token as a blocked security event: it means the token
 * leaked, or a client replays what it should have thrown away (RFC 9700 §4.14.2). The provider
 * emits `grant.error` for every token-endpoint failure; only reuse is recorded.
 */
export function auditRefreshTokenReuse(provider: Provider, audit: Pick<AuditService, 'record'>): void {
  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: unknown) => {
    if (!isRefreshTokenReuse(ctx, error)) return;
    const token = ctx.oidc.entities.RefreshToken;
    void audit.record({
      type: 'refresh_token.reused',
      outcome: 'blocked',
      reason: 'grant_revoked',
      accountId: token?.accountId ?? null,
      clientId: ctx.oidc.client?.clientId ?? null,
      ip: ctx.ip,
      userAgent: ctx.get('user-agent') || null,
      detail: { grantId: token?.grantId, rotations: token?.rotations ?? 0 },
    });
  });
}
