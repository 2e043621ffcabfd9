import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { PasskeyService } from '../passkeys/passkey-service.js';
import type { PasswordCheck } from '../accounts/password-check.js';
import type { SessionService } from '../sessions/session-service.js';
import type { CredentialsChanged } from './credentials-changed.js';
import type { ConsoleActor } from './mfa-console-service.js';
import { freshAuthentication } from './fresh-authentication.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { SecondFactorRequired } from './second-factor-required.js';

/** What the console needs of the passkey service. */
export type ConsolePasskeys = Pick<
  PasskeyService,
  'beginRegistration' | 'finishRegistration' | 'list' | 'rename' | 'remove'
>;

export interface PasskeyConsoleDeps {
  readonly passkeys: ConsolePasskeys;
  readonly passwordCheck: PasswordCheck;
  readonly sessions: Pick<SessionService, 'revokeSessions'>;
  readonly credentialsChanged: CredentialsChanged;
  /** Whether the last second factor must stay (MFA_POLICY=always, or an app of theirs demands one). */
  readonly secondFactorRequired: SecondFactorRequired;
}

type Account = { id: string; email: string; name?: string | null };
const owner = ({ id, email, name }: Account) => ({ id, email, ...(name ? { name } : {}) });

/** What the account console does with passkeys, on behalf of the signed-in person. */
export function createPasskeyConsoleService({
  passkeys,
  passwordCheck,
  sessions,
  credentialsChanged,
  secondFactorRequired,
}: PasskeyConsoleDeps) {
  const confirmFresh = freshAuthentication(passwordCheck);

  const ownPasskey = async (accountId: string, id: string) => {
    const found = (await passkeys.list(accountId)).find((p) => p.id === id);
    if (!found) throw new GatehouseError('ERR_PASSKEY_NOT_FOUND', 'That passkey is not on your account.');
    return found;
  };

  return {
    list: (accountId: string) => passkeys.list(accountId),

    /**
     * Starts adding a passkey: the same fresh-sign-in rule as setting up an authenticator app
     * (fresh-authentication.ts); the challenge is bound to this console session (`binding`).
     */
    async beginRegistration(
      account: Account,
      signedInSecondsAgo: number,
      password: string | undefined,
      binding: string,
      actor: ConsoleActor,
    ): Promise<PublicKeyCredentialCreationOptionsJSON> {
      await confirmFresh({
        accountId: account.id,
        signedInSecondsAgo,
        password,
        ip: actor.ip,
        userAgent: actor.userAgent,
        device: actor.device,
        action: 'passkey_add',
      });
      return passkeys.beginRegistration(owner(account), binding);
    },

    /** Stores the browser's answer; recovery codes come back when this is the account's first second factor. */
    finishRegistration(
      account: Account,
      binding: string,
      response: RegistrationResponseJSON,
      actor: ConsoleActor,
      name?: string,
    ) {
      return passkeys.finishRegistration(owner(account), binding, response, actor, name);
    },

    /** Core renames only the account's own passkey (one conditional update) and refuses an empty name. */
    rename: (accountId: string, id: string, name: string, actor: ConsoleActor): Promise<void> =>
      passkeys.rename(accountId, id, name, actor),

    /**
     * Removes a passkey after a fresh sign-in, then ends what the old factor opened, as turning off
     * the authenticator app does: pending mail links, remembered browsers, every other session.
     * Refused when it is the last second factor and MFA_POLICY=always demands one at every sign-in
     * (checked by the passkey service in the removal's own transaction).
     */
    async remove(
      account: Account,
      id: string,
      signedInSecondsAgo: number,
      password: string | undefined,
      keepSessionUid: string,
      actor: ConsoleActor,
    ): Promise<void> {
      await ownPasskey(account.id, id);
      await confirmFresh({
        accountId: account.id,
        signedInSecondsAgo,
        password,
        ip: actor.ip,
        userAgent: actor.userAgent,
        device: actor.device,
        action: 'passkey_remove',
      });
      await passkeys.remove(account.id, id, actor, { keepLastFactor: await secondFactorRequired(account.id) });
      await credentialsChanged(account.id);
      await sessions.revokeSessions(
        account.id,
        { by: 'user', ip: actor.ip, userAgent: actor.userAgent },
        keepSessionUid,
      );
    },
  };
}

export type PasskeyConsoleService = ReturnType<typeof createPasskeyConsoleService>;
