import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import type { InteractionSession } from './interaction-session.js';
import type { SignInService } from '../../src/accounts/sign-in-service.js';
import { GateFullError } from '../../src/accounts/concurrency-gate.js';
import { authenticationContext } from '../../src/mfa/authentication-context.js';
import type { deviceCookie } from '../device-cookie.js';
import type { RememberedDeviceCookie } from '../../src/mfa/remembered-device-cookie.js';
import { loginPage as renderLoginPage } from '../views/login-page.js';
import { allowPageScript, pageScript } from '../../src/http/page-scripts.js';
import type { AccountService } from '../../src/accounts/account-service.js';
import { answerRefusal } from '../answer-refusal.js';
import { assertionOf, passkeyFactor, type SignInPasskeys } from './sign-in-passkeys.js';
import { passkeyBinding } from './passkey-options-route.js';
import { t } from '../page/translate.js';
import { waitOf } from '../../src/kernel/wait-in-words.js';

export interface PasswordStepDeps {
  readonly session: InteractionSession;
  readonly signIn: SignInService;
  readonly accounts: Pick<AccountService, 'findById'>;
  /** Passwordless sign-in (src/passkeys/passkey-service.ts). */
  readonly passkeys: Pick<SignInPasskeys, 'finishAuthentication'>;
  /** The OWASP device cookie (sign-in throttling's known browsers). */
  readonly device: ReturnType<typeof deviceCookie>;
  /** The remembered-browser cookie: wrong passwords typed in one are attributed to it. */
  readonly rememberedDevices: RememberedDeviceCookie;
  readonly form: Middleware;
  readonly guard: Middleware;
  /** The server sends mail, so the page offers "Forgot your password?". */
  readonly mailEnabled: boolean;
  /** Self-registration is on, so the page offers "Create account". */
  readonly registrationEnabled: boolean;
  /** The "Continue with …" buttons of the connections to other identity providers. */
  readonly connectionButtons?: () => Promise<ReadonlyArray<{ id: string; label: string }>>;
  /**
   * Home-realm discovery: an email at a connection's --domains goes straight to that provider.
   * True when it took the request (the browser is on its way there).
   */
  readonly homeRealm?: (ctx: Context, uid: string, email: string) => Promise<boolean>;
}

const loginForm = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(4096),
});

/** The first step of a sign-in (the `login` prompt): email and password, through the one password seam. */
export function passwordStepRoutes({
  session,
  signIn,
  accounts,
  passkeys,
  device,
  rememberedDevices,
  form,
  guard,
  mailEnabled,
  registrationEnabled,
  connectionButtons,
  homeRealm,
}: PasswordStepDeps) {
  const script = pageScript('passkey-sign-in.js');
  // Every sign-in page offers a passkey; this response's CSP allows the script that runs it.
  const loginPage = async (ctx: Context, view: Parameters<typeof renderLoginPage>[0]) =>
    renderLoginPage({
      ...view,
      passwordReset: mailEnabled,
      registration: registrationEnabled,
      passkey: allowPageScript(ctx, script),
      connections: (await connectionButtons?.()) ?? [],
    });
  return {
    /** GET /interaction/:uid while the prompt is `login`. */
    async show(
      ctx: Context,
      found: { uid: string; params: Record<string, unknown> },
      clientName: string,
      error?: string,
    ) {
      ctx.body = await loginPage(ctx, {
        error,
        uid: found.uid,
        clientName,
        email: typeof found.params.login_hint === 'string' ? found.params.login_hint : undefined,
      });
    },

    register(router: Router) {
      /**
       * Passwordless: a discoverable passkey, chosen from the browser's list (no email typed). The
       * authenticator must have verified the person (PIN or biometric, WebAuthn §6.1 UV): then the
       * passkey alone is two factors (NIST SP 800-63B §5.1.9) and no password or second step follows.
       * Any refusal reads the same whether the passkey is unknown, wrong or its account disabled.
       */
      router.post('/:uid/login/passkey', guard, form, async (ctx) => {
        const { uid, prompt, params } = await session.details(ctx);
        if (prompt.name !== 'login') ctx.throw(400, t('error.notWaiting.signIn'));
        const clientName = await session.clientName(params.client_id);
        const refused = async (status: number, error: string) => {
          ctx.status = status;
          ctx.body = await loginPage(ctx, { uid, clientName, error });
        };
        const assertion = assertionOf(ctx.request.body);
        if (!assertion) return refused(400, t('signIn.error.noPasskey'));
        let result;
        try {
          result = await passkeys.finishAuthentication(passkeyBinding(uid), assertion, {
            requireUserVerification: true,
            actor: {
              by: 'user',
              ip: ctx.ip,
              userAgent: ctx.get('User-Agent'),
              rememberedDevice: rememberedDevices.read(ctx.cookies),
              clientId: String(params.client_id),
            },
          });
        } catch (error) {
          if ((error as { code?: string }).code === 'ERR_PASSKEY_USER_VERIFICATION') {
            answerRefusal(ctx, error, { authenticating: true });
            return refused(ctx.status, t('signIn.error.passkeyUnverified'));
          }
          const message = answerRefusal(ctx, error, { authenticating: true });
          if (message === undefined) throw error;
          return refused(ctx.status, message);
        }
        const account = await accounts.findById(result.accountId);
        if (!account || account.disabled) return refused(401, t('signIn.error.passkeyNotAccepted'));
        await device.remember(ctx, account.id);
        await session.finish(
          ctx,
          { login: { accountId: account.id, remember: true, ...authenticationContext([passkeyFactor(result)]) } },
          false,
        );
      });

      router.post('/:uid/login', guard, form, async (ctx) => {
        const { uid, prompt, params } = await session.details(ctx);
        if (prompt.name !== 'login') ctx.throw(400, t('error.notWaiting.signIn'));
        const clientName = await session.clientName(params.client_id);
        const typed = (ctx.request.body as { email?: unknown } | undefined)?.email;
        if (homeRealm && typeof typed === 'string' && (await homeRealm(ctx, uid, typed.trim()))) return;
        const parsed = loginForm.safeParse(ctx.request.body ?? {});
        if (!parsed.success) {
          ctx.status = 400;
          ctx.body = await loginPage(ctx, { uid, clientName, error: t('signIn.error.missingFields') });
          return;
        }
        const { email, password } = parsed.data;
        let outcome;
        try {
          outcome = await signIn.signIn({
            email,
            password,
            ip: ctx.ip,
            userAgent: ctx.get('User-Agent'),
            clientId: String(params.client_id),
            device: await device.read(ctx),
            rememberedDevice: rememberedDevices.read(ctx.cookies),
          });
        } catch (error) {
          if (!(error instanceof GateFullError)) throw error;
          ctx.status = 503;
          ctx.set('Retry-After', String(error.retryAfterSeconds));
          ctx.body = await loginPage(ctx, {
            uid,
            clientName,
            email,
            error: t('signIn.error.busy'),
          });
          return;
        }
        if (!outcome.ok) {
          if (outcome.reason === 'throttled') {
            ctx.status = 429;
            ctx.set('Retry-After', String(outcome.retryAfterSeconds));
            ctx.body = await loginPage(ctx, {
              uid,
              clientName,
              email,
              error: t('signIn.error.throttled', waitOf(outcome.retryAfterSeconds)),
            });
          } else if (outcome.reason === 'overlong_password') {
            ctx.status = 400;
            ctx.body = await loginPage(ctx, {
              uid,
              clientName,
              email,
              error: t('signIn.error.passwordTooLong', { max: 128 }),
            });
          } else {
            ctx.status = 401;
            ctx.body = await loginPage(ctx, { uid, clientName, email, error: t('signIn.error.incorrect') });
          }
          return;
        }
        await device.remember(ctx, outcome.account.id);
        // The second step, when the policy asks for one, follows as the `mfa` prompt of this interaction.
        await session.finish(
          ctx,
          { login: { accountId: outcome.account.id, remember: true, ...authenticationContext(['password']) } },
          false,
        );
      });
    },
  };
}
