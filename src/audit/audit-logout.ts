import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { AuditService } from './audit-service.js';

/** Records every completed RP-initiated logout (OIDC RP-Initiated Logout §2) in the audit trail. */
export function auditLogout(provider: Provider, audit: Pick<AuditService, 'record'>): void {
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    // Destroyed in storage by now, but the object still holds who it was. "Stay signed in" on the
    // confirmation page only drops the client from the session: that is not a logout.
    const session = ctx.oidc.session as unknown as
      { accountId?: string; uid?: string; destroyed?: boolean } | undefined;
    if (!session?.destroyed) return;
    void audit.record({
      type: 'logout',
      outcome: 'success',
      accountId: session?.accountId ?? null,
      clientId: ctx.oidc.client?.clientId ?? null,
      ip: ctx.ip,
      userAgent: ctx.get('user-agent') || null,
      detail: { sessionUid: session?.uid },
    });
  });
}
