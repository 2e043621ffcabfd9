import type Provider from 'oidc-provider';
import { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { DeviceCodeProblem, Screens } from '../http/screens.js';
import type { AuditService } from '../audit/audit-service.js';
import { saveUnsavedSession, type SessionTtl } from './save-unsaved-session.js';

const { Check } = interactionPolicy;

import { DEVICE_CODE_GRANT } from '../clients/client-flows.js';

export { DEVICE_CODE_GRANT };

/**
 * User codes: eight letters from a 20-letter alphabet without vowels (so no 0/O, 1/I look-alikes and
 * no words), shown as two groups of four. 20^8 ≈ 2.6·10^10 codes, and wrong guesses are throttled
 * per address (RFC 8628 §6.1, §5.1; src/throttle/user-code-throttle.ts).
 */
export const USER_CODE_CHARSET = 'base-20';
export const USER_CODE_MASK = '****-****';

/**
 * How the code page's outcome reaches the throttle that counted the attempt (device-code-gate.ts):
 * the provider looks the code up itself, and says which way it went only to the page it renders.
 */
export const USER_CODE_OUTCOME = Symbol('user code outcome');
export type UserCodeOutcome = 'rejected';

export interface DeviceFlowDeps {
  readonly screens: Screens;
  readonly audit: Pick<AuditService, 'record'>;
  /** The provider's `ttl.Session`, for a session the code page's error handler made (save-unsaved-session.ts). */
  readonly sessionTtl: SessionTtl;
}

/** A wrong, expired or spent code, and what the person can do about it. */
const CODE_PROBLEMS: Record<string, string> = {
  NoCodeError: 'Type the code shown on your device.',
  NotFoundError: 'That code is not right. Check the code on your device and type it again.',
  ExpiredError: 'That code has expired. Start again on your device to get a new code.',
  AlreadyUsedError: 'That code has already been used. Start again on your device to get a new code.',
};

const xsrfOf = (ctx: KoaContextWithOIDC) => (ctx.oidc.session?.state as { secret?: string } | undefined)?.secret;

const clientNameOf = async (ctx: KoaContextWithOIDC): Promise<string | undefined> => {
  const clientId = ctx.oidc.client?.clientId ?? ctx.oidc.deviceCode?.clientId;
  const client = ctx.oidc.client ?? (clientId ? await ctx.oidc.provider.Client.find(clientId) : undefined);
  return (client?.clientName as string | undefined) ?? clientId;
};

const eventOf = (ctx: KoaContextWithOIDC) => ({
  accountId: ctx.oidc.session?.accountId ?? ctx.oidc.deviceCode?.accountId ?? null,
  clientId: ctx.oidc.client?.clientId ?? ctx.oidc.deviceCode?.clientId ?? null,
  ip: ctx.ip,
  userAgent: ctx.get('user-agent') || null,
  // Where the device asked from (its own address and agent), beside the browser that answered.
  detail: { device: ctx.oidc.deviceCode?.deviceInfo ?? null },
});

/**
 * oidc-provider's `features.deviceFlow` (RFC 8628) with our pages. The person types the code at
 * /device, signs in through the same interaction as any sign-in (second step included), answers
 * the consent page, and lands on the done page; the device polls the token endpoint meanwhile.
 */
type DeviceFlowFeature = Pick<NonNullable<Configuration['features']>, 'deviceFlow'>;

export function deviceFlowFeature({ screens, audit, sessionTtl }: DeviceFlowDeps): DeviceFlowFeature {
  return {
    deviceFlow: {
      enabled: true,
      charset: USER_CODE_CHARSET,
      mask: USER_CODE_MASK,
      // Our own page, not the provider's `form` (its inline onfocus handler would break our CSP).
      userCodeInputSource: async (ctx, _form, _out, err) => {
        ctx.type = 'html';
        // With an error, the provider's error handler calls this after its session middleware is done.
        if (err) await saveUnsavedSession(ctx, sessionTtl);
        const action = ctx.oidc.urlFor('code_verification');
        const state = ctx.state as unknown as Record<symbol, UserCodeOutcome>;
        if (err?.name === 'AbortedError') {
          // Denied on the consent page, or cancelled on the confirmation page (access_denied at the token endpoint).
          ctx.status = 200;
          void audit.record({ type: 'device.denied', outcome: 'success', ...eventOf(ctx) });
          ctx.body = screens.deviceDonePage({ clientName: await clientNameOf(ctx), approved: false });
          return;
        }
        const problem = err ? CODE_PROBLEMS[err.name] : undefined;
        if (err && err.name !== 'NoCodeError' && problem) state[USER_CODE_OUTCOME] = 'rejected';
        // Anything else: the form's anti-CSRF value or session did not match (400), or we failed (5xx).
        const status = err ? (problem ? 400 : (err as { statusCode?: number }).statusCode || 400) : 200;
        ctx.status = status;
        const problemKind: DeviceCodeProblem | undefined = !err
          ? undefined
          : problem
            ? (err.name as DeviceCodeProblem)
            : status >= 500
              ? 'unchecked'
              : 'stale';
        ctx.body = screens.deviceCodePage({
          action,
          xsrf: xsrfOf(ctx),
          problemKind,
          code: (err as { userCode?: string } | undefined)?.userCode,
          problem:
            problem ??
            (!err
              ? undefined
              : status >= 500
                ? 'The code could not be checked just now. Try again in a moment.'
                : 'This page was open too long or in another browser. Type the code again.'),
        });
      },
      userCodeConfirmSource: async (ctx, _form, client, _deviceInfo, userCode) => {
        ctx.type = 'html';
        ctx.body = screens.deviceConfirmPage({
          action: ctx.oidc.urlFor('code_verification'),
          xsrf: xsrfOf(ctx) ?? '',
          userCode,
          clientName: (client.clientName as string | undefined) ?? client.clientId,
        });
      },
      successSource: async (ctx) => {
        ctx.type = 'html';
        void audit.record({ type: 'device.approved', outcome: 'success', ...eventOf(ctx) });
        ctx.body = screens.deviceDonePage({ clientName: await clientNameOf(ctx), approved: true });
      },
    },
  };
}

/** The request being answered is a device's (the code page or its resumed interaction). */
export const isDeviceRequest = (ctx: KoaContextWithOIDC) =>
  ctx.oidc.route === 'code_verification' || ctx.oidc.route === 'device_resume';

/**
 * The consent page is shown for every device authorization, even to a first-party app and even
 * when the person allowed the app before: the code may have been typed on someone else's behalf
 * (RFC 8628 §5.4, remote phishing), and the page is where the person sees which app and what it
 * asks, and can say no. Satisfied once this interaction has a consent result.
 */
export function deviceConsentCheck() {
  return new Check('device_consent', 'a device authorization is always confirmed by the person', (ctx) =>
    isDeviceRequest(ctx) && !ctx.oidc.result?.consent ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
  );
}

/** RFC 8628 §3.2: how long a device waits between polls; faster polls get slow_down (device-poll-pace.ts). */
export const POLL_INTERVAL_SECONDS = 5;

/**
 * Two answers of the device authorization endpoint, corrected after oidc-provider wrote them. A
 * client not registered for the device grant is refused with `unauthorized_client` (RFC 8628 §3.2
 * takes RFC 6749 §5.2's codes: "not authorized to use this authorization grant type") and told what
 * to change, where the provider says `invalid_request`. A successful answer states the polling
 * `interval` (the provider leaves it out, so clients assume 5 s; said outright, it is the one
 * device-poll-pace.ts holds them to).
 */
export function deviceAuthorizationAnswers(provider: Provider): void {
  const refusal = `${DEVICE_CODE_GRANT} is not allowed for this client`;
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string; device_code?: string } | undefined;
    if (ctx.status === 200 && ctx.oidc?.route === 'device_authorization' && body?.device_code) {
      ctx.body = { ...body, interval: POLL_INTERVAL_SECONDS };
      return;
    }
    if (ctx.status !== 400 || body?.error !== 'invalid_request' || body.error_description !== refusal) return;
    ctx.body = {
      error: 'unauthorized_client',
      error_description:
        'this client is not registered for the device grant (gatehouse client update --grant-type device_code)',
    };
  });
}
