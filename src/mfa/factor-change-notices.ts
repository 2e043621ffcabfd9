import type { Outbox } from '../mail/outbox.js';
import { composeMail, mailLocale, type MailBrand } from '../mail/compose-mail.js';
import type { MessageKey } from '../i18n/message-catalogue.js';

export type FactorChange = 'added' | 'removed';
/** Which kind of second factor changed; the mail names it. */
export type FactorKind = 'totp' | 'passkey';

/** The account told: its address, and its stored `locale` claim for the mail's language. */
export interface NoticeRecipient {
  readonly email: string;
  readonly locale?: string | null;
}

/** Who made the change; `locale` is the language of the page they made it from, when there was one. */
export interface FactorChangeActor {
  readonly by: 'user' | 'admin';
  readonly ip?: string;
  readonly locale?: string;
}

export interface FactorChangeNotices {
  /** Queues a mail to the account's address saying a second factor was added or removed. */
  factorChanged(to: NoticeRecipient, change: FactorChange, by: FactorChangeActor, factor?: FactorKind): Promise<void>;
}

/** The lead sentence: who did it and, for the owner's own change, from which network address. */
function leadOf(factor: FactorKind, change: FactorChange, actor: FactorChangeActor): MessageKey {
  if (factor === 'passkey') return `mail.passkey.${change}.${actor.ip ? 'from' : 'plain'}`;
  if (actor.by === 'admin') return `mail.totp.${change}.admin`;
  return `mail.totp.${change}.${actor.ip ? 'from' : 'plain'}`;
}

/**
 * Tells the owner whenever a second factor is added or removed (NIST SP 800-63B §6.1.2.3 asks
 * for a notice of such authenticator changes; ASVS 4.0 §2.5.5 likewise): someone who has only the
 * password and sets up or turns off an authenticator does not go unnoticed. Sent through the outbox,
 * written in the page's language when the person acted from one, else the account's own.
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
      await outbox.enqueue(
        'mail',
        composeMail(brand, mailLocale(brand, actor.locale, to.locale), {
          to: to.email,
          subject: `mail.${factor}.${change}.subject`,
          paragraphs: [leadOf(factor, change, actor), `mail.${factor}.notYou`],
          // `who` picks the sentence's subject (ICU select): an administrator, or someone.
          values: { email: to.email, ip: actor.ip ?? '', who: actor.by },
        }),
      );
    },
  };
}
