import type { MfaMode } from '../mfa/mfa-mode.js';
import type { SessionService } from '../sessions/session-service.js';
import type { ClientService } from '../clients/client-service.js';

export interface SecondFactorRequiredDeps {
  /** MFA_POLICY: with `always`, every sign-in needs a second factor. */
  readonly mfaPolicy: MfaMode;
  /** The apps the person has connected (their grants). */
  readonly sessions: Pick<SessionService, 'listGrants'>;
  /** Each app's own policy (`--mfa always`). */
  readonly clients: Pick<ClientService, 'show'>;
}

/**
 * Whether the person's last second factor must stay: the policy asks for one at every sign-in, or
 * an app they use does (a client registered with `--mfa always`). Removing it then would only send
 * them into setting up a factor again at their next sign-in there, or lock a passkey-only account
 * out of that app; so the console refuses, and says to add another first.
 */
export function createSecondFactorRequired({ mfaPolicy, sessions, clients }: SecondFactorRequiredDeps) {
  return async (accountId: string): Promise<boolean> => {
    if (mfaPolicy === 'always') return true;
    for (const { clientId } of await sessions.listGrants(accountId)) {
      // An app removed since is no reason; any other failure is not a reason to let the factor go.
      const app = await clients.show(clientId).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'ERR_CLIENT_NOT_FOUND') return undefined;
        throw error;
      });
      // mfa_policy is clientMfaMode's reading of the metadata, as at sign-in (require_mfa included).
      if (app?.mfa_policy === 'always') return true;
    }
    return false;
  };
}

export type SecondFactorRequired = ReturnType<typeof createSecondFactorRequired>;
