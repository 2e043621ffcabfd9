import type { AuditEventInput } from '../audit/audit-service.js';
import type { Metrics } from './create-metrics.js';

/**
 * Sign-ins and second steps are counted from the audit events the one password check
 * (src/accounts/password-check.ts) and the MFA service record, so the metrics and the audit trail
 * cannot disagree (passkeys likewise, from the passkey service's events). Outcomes: success, or the failure reason (wrong_password, unknown_account,
 * account_disabled, overlong_password), or throttled.
 */
export function auditMetrics(metrics: Metrics) {
  return (event: AuditEventInput): void => {
    switch (event.type) {
      case 'signin':
      case 'reauth':
        metrics.signIn(event.type, event.outcome === 'success' ? 'success' : (event.reason ?? event.outcome));
        break;
      case 'signin.throttled':
        metrics.signIn('signin', 'throttled');
        break;
      case 'reauth.throttled':
        metrics.signIn('reauth', 'throttled');
        break;
      case 'mfa.decision': {
        // One count per risk signal that asked (new_device, new_network…), or "none".
        const reasons =
          (event.detail?.reasons as unknown[] | undefined)?.filter((r): r is string => typeof r === 'string') ?? [];
        for (const reason of reasons.length ? reasons : ['none'])
          metrics.secondStep('decision', reason, event.reason ?? 'unknown');
        break;
      }
      case 'mfa.verify':
        metrics.secondStep('verify', event.reason, event.outcome);
        break;
      // Passkeys (src/passkeys/): success, or the reason (invalid, unknown_credential, user_verification,
      // cloned, exists…), or throttled.
      case 'passkey.registered':
      case 'passkey.verify':
        metrics.passkey(
          event.type === 'passkey.registered' ? 'registration' : 'authentication',
          event.outcome === 'success'
            ? 'success'
            : event.outcome === 'blocked'
              ? 'throttled'
              : (event.reason ?? event.outcome),
        );
        break;
      // The device grant (src/oidc/device-flow.ts, device-code-gate.ts); its tokens count as any grant's.
      case 'device.approved':
        metrics.deviceAuthorization('approved');
        break;
      case 'device.denied':
        metrics.deviceAuthorization('denied');
        break;
      case 'device.throttled':
        metrics.deviceAuthorization('throttled');
        break;
      // Self-registered clients (src/oidc/dynamic-client-events.ts, src/clients/idle-dynamic-clients.ts).
      case 'client.registered':
        metrics.dynamicClient('registered');
        break;
      case 'client.registration_updated':
        metrics.dynamicClient('updated');
        break;
      case 'client.registration_deleted':
        metrics.dynamicClient('deleted');
        break;
      case 'client.idle_removed':
        metrics.dynamicClient('idle_removed');
        break;
      // Sign-in with other identity providers (src/connections), per connection.
      case 'upstream.signin':
      case 'upstream.linked':
      case 'upstream.unlinked':
        metrics.upstream(
          event.detail?.connection as string | undefined,
          event.type.slice('upstream.'.length),
          event.outcome === 'success' ? 'success' : (event.reason ?? event.outcome),
        );
        break;
      default:
    }
  };
}
