import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { InteractionSession } from './interaction-session.js';
import type { SignInPasskeys } from './sign-in-passkeys.js';
import { t } from '../page/translate.js';
import { enrolmentBinding } from '../../src/mfa/enrolment-binding.js';

export interface PasskeyOptionsDeps {
  readonly session: InteractionSession;
  readonly passkeys: Pick<SignInPasskeys, 'beginAuthentication'>;
  readonly guard: Middleware;
}

/** A challenge made here is answered only in this interaction (bound to it, single use, 5 minutes). */
export const passkeyBinding = (uid: string) => enrolmentBinding('interaction', uid);

/**
 * POST /interaction/:uid/passkey/options: the WebAuthn request options the page's script hands to
 * navigator.credentials.get (interactions/assets/passkey-sign-in.js). At the password step they
 * name no credential (discoverable: the authenticator offers its passkeys for this RP ID, and the
 * person types no email); at the second step they name the signed-in account's passkeys. A POST
 * from our own page (form guard), because each call makes a challenge.
 */
export function passkeyOptionsRoute({ session, passkeys, guard }: PasskeyOptionsDeps) {
  return {
    register(router: Router) {
      router.post('/:uid/passkey/options', guard, async (ctx) => {
        const { uid, prompt, session: signedIn } = await session.details(ctx);
        const binding = passkeyBinding(uid);
        if (prompt.name === 'login') {
          ctx.body = await passkeys.beginAuthentication(binding);
          return;
        }
        if (prompt.name === 'mfa' && signedIn?.accountId) {
          ctx.body = await passkeys.beginAuthentication(binding, signedIn.accountId);
          return;
        }
        ctx.status = 400;
        ctx.body = { error: t('passkey.script.notWaiting') };
      });
    },
  };
}
