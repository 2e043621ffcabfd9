import type { Context, Middleware, Next } from 'koa';
import type Provider from 'oidc-provider';
import type { ProviderHost } from './provider-host.js';
import type { Screens } from '../http/screens.js';
import type { AuditService } from '../audit/audit-service.js';
import type { UserCodeThrottle } from '../throttle/user-code-throttle.js';
import { waitInWords } from '../kernel/wait-in-words.js';
import { USER_CODE_OUTCOME, type UserCodeOutcome } from './device-flow.js';

export interface DeviceCodeGateDeps {
  readonly providers: ProviderHost;
  readonly screens: Screens;
  readonly audit: Pick<AuditService, 'record'>;
  readonly userCodeThrottle: UserCodeThrottle;
}

/**
 * Every code typed at the verification page is counted per client address before the provider
 * looks it up (RFC 8628 §5.1), and stays counted when the provider's page says it was wrong,
 * expired or spent (device-flow.ts). Over the limit, the address gets a readable 429 page and the
 * code is not looked up at all.
 */
export function deviceCodeGate({ providers, screens, audit, userCodeThrottle }: DeviceCodeGateDeps): Middleware {
  // The page's URL, once per provider generation (every POST passes here, token requests included).
  const actions = new WeakMap<Provider, { action: string; path: string }>();
  const actionOf = (provider: Provider) => {
    let found = actions.get(provider);
    if (!found) {
      const action = provider.urlFor('code_verification');
      found = { action, path: new URL(action).pathname };
      actions.set(provider, found);
    }
    return found;
  };
  const gate = async (ctx: Context, next: Next, action: string) => {
    const attempt = await userCodeThrottle.begin(ctx.ip);
    if (!attempt.admitted) {
      void audit.record({
        type: 'device.throttled',
        outcome: 'blocked',
        ip: ctx.ip,
        userAgent: ctx.get('user-agent') || null,
        detail: { retryAfter: attempt.retryAfter },
      });
      ctx.status = 429;
      ctx.set('Retry-After', String(attempt.retryAfter));
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'html';
      ctx.body = screens.deviceCodePage({
        action,
        problem: `Too many wrong codes were typed from your network. Try again in ${waitInWords(attempt.retryAfter)}.`,
        problemKind: 'throttled',
        retryAfterSeconds: attempt.retryAfter,
      });
      return;
    }
    let rejected = false;
    try {
      await next();
      rejected =
        (ctx.state as unknown as Record<symbol, UserCodeOutcome | undefined>)[USER_CODE_OUTCOME] === 'rejected';
    } finally {
      await (rejected ? attempt.rejected() : attempt.settled());
    }
  };
  // Not async on the way past: every request goes by here, and an async frame each is CPU on the token endpoints.
  return (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    const { action, path } = actionOf(providers.current().provider);
    return ctx.path === path ? gate(ctx, next, action) : next();
  };
}
