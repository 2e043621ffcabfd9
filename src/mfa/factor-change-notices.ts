import type { Outbox } from '../mail/outbox.js';
import { composeMail, type MailBrand } from '../mail/compose-mail.js';

export type FactorChange = 'added' | 'removed';
/** Which kind of second factor changed; the mail names it. */
export type FactorKind = 'totp' | 'passkey';

export interface FactorChangeNotices {
  /** Queues a mail to the account's address saying a second factor was added or removed. */
  factorChanged(
    to: string,
    change: FactorChange,
    by: { readonly by: 'user' | 'admin'; readonly ip?: string },
    factor?: FactorKind,
  ): Promise<void>;
}

/**
 * Tells the owner whenever a second factor is added or removed (NIST SP 800-63B §6.1.2.3 asks
 * for a notice of such authenticator changes; ASVS 4.0 §2.5.5 likewise): someone who has only the
 * password and sets up or turns off an authenticator does not go unnoticed. Sent through the outbox.
 */
export function createFactorChangeNotices({
  outbox,
  brand,
}: {
  outbox: Outbox;
  brand: MailBrand;
}): FactorChangeNotices {
  return {
    async factorChanged(to, change, actor, factor = 'totp') {
      if (factor === 'passkey')
        return outbox.enqueue('mail', composeMail(brand, passkeyNotice(brand, to, change, actor)));
      const where = actor.ip ? ` from the network address ${actor.ip}` : '';
      const what =
        change === 'added'
          ? actor.by === 'admin'
            ? `An administrator set up an authenticator app for two-step verification on your ${brand.productName} account ${to}.`
            : `An authenticator app was set up for two-step verification on your ${brand.productName} account ${to}${where}. Sign-ins may now ask for a code from it.`
          : actor.by === 'admin'
            ? `An administrator turned off two-step verification on your ${brand.productName} account ${to}: its authenticator app and recovery codes no longer work.`
            : `Two-step verification was turned off on your ${brand.productName} account ${to}${where}: its authenticator app and recovery codes no longer work.`;
      await outbox.enqueue(
        'mail',
        composeMail(brand, {
          to,
          subject:
            change === 'added'
              ? 'An authenticator app was added to your account'
              : 'Two-step verification was turned off',
          paragraphs: [
            what,
            'If this was not you, change your password now, check two-step verification in your account, and tell your administrator.',
          ],
        }),
      );
    },
  };
}

/** A passkey added or removed; the other factors, if any, keep working. */
function passkeyNotice(
  brand: MailBrand,
  to: string,
  change: FactorChange,
  actor: { readonly by: 'user' | 'admin'; readonly ip?: string },
) {
  const where = actor.ip ? ` from the network address ${actor.ip}` : '';
  const who = actor.by === 'admin' ? 'An administrator' : 'Someone';
  return {
    to,
    subject: change === 'added' ? 'A passkey was added to your account' : 'A passkey was removed from your account',
    paragraphs: [
      change === 'added'
        ? `${who} added a passkey to your ${brand.productName} account ${to}${where}. It can now be used to sign in.`
        : `${who} removed a passkey from your ${brand.productName} account ${to}${where}. It no longer signs in.`,
      'If this was not you, change your password now, check your passkeys and two-step verification in your account, and tell your administrator.',
    ],
  };
}
