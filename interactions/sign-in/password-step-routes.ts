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

export interface PasswordStepDeps {
  readonly session: InteractionSession;
  readonly signIn: SignInService;
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
}

const loginForm = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(4096),
});

/** The first step of a sign-in (the `login` prompt): email and password, through the one password seam. */
export function passwordStepRoutes({
  session,
  signIn,
  device,
  rememberedDevices,
  form,
  guard,
  mailEnabled,
  registrationEnabled,
}: PasswordStepDeps) {
  const loginPage = (view: Parameters<typeof renderLoginPage>[0]) =>
    renderLoginPage({ ...view, passwordReset: mailEnabled, registration: registrationEnabled });
  return {
    /** GET /interaction/:uid while the prompt is `login`. */
    show(ctx: Context, found: { uid: string; params: Record<string, unknown> }, clientName: string) {
      ctx.body = loginPage({
        uid: found.uid,
        clientName,
        email: typeof found.params.login_hint === 'string' ? found.params.login_hint : undefined,
      });
    },

    register(router: Router) {
      router.post('/:uid/login', guard, form, async (ctx) => {
        const { uid, prompt, params } = await session.details(ctx);
        if (prompt.name !== 'login') ctx.throw(400, 'This request is not waiting for a sign-in.');
        const clientName = await session.clientName(params.client_id);
        const parsed = loginForm.safeParse(ctx.request.body ?? {});
        if (!parsed.success) {
          ctx.status = 400;
          ctx.body = loginPage({ uid, clientName, error: 'Enter your email and password.' });
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
          ctx.body = loginPage({
            uid,
            clientName,
            email,
            error: 'Too many people are signing in right now. Try again in a moment.',
          });
          return;
        }
        if (!outcome.ok) {
          if (outcome.reason === 'throttled') {
            ctx.status = 429;
            ctx.set('Retry-After', String(outcome.retryAfterSeconds));
            const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
            ctx.body = loginPage({
              uid,
              clientName,
              email,
              error: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
            });
          } else if (outcome.reason === 'overlong_password') {
            ctx.status = 400;
            ctx.body = loginPage({ uid, clientName, email, error: 'Passwords are at most 128 characters.' });
          } else {
            ctx.status = 401;
            ctx.body = loginPage({ uid, clientName, email, error: 'Incorrect email or password.' });
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
