import { type Command, required, UsageError } from '../command.js';
import { normalizeEmail } from '../../kernel/normalize-email.js';
import { isValidEmail } from '../../kernel/is-valid-email.js';
import { composeMail } from '../../mail/compose-mail.js';
import { createMessageCatalogue } from '../../i18n/message-catalogue.js';
import { GatehouseError } from '../../kernel/gatehouse-error.js';

/** SMTP refused or unreachable: the operator's settings need a look (exit 1, with the server's words). */
export class MailTestError extends GatehouseError<'ERR_MAIL_FAILED'> {
  constructor(message: string) {
    super('ERR_MAIL_FAILED', message);
  }
}

export const mailTest: Command = {
  path: ['mail', 'test'],
  summary: 'Send a test message through SMTP_URL now (not through the outbox), to check the mail settings',
  usage:
    "gatehouse mail test --to E [--json]\nNeeds SMTP_URL and MAIL_FROM. Exits 1 with the SMTP server's answer when it fails.",
  options: { to: { type: 'string' } },
  async run(values, config, out) {
    const to = normalizeEmail(required(values, 'to'));
    if (!isValidEmail(to)) throw new UsageError(`--to: "${to}" is not an email address`);
    if (!config.mail)
      throw new UsageError('mail is off: set SMTP_URL (smtp://user:pass@host:587 or smtps://…) and MAIL_FROM first');
    // nodemailer is imported on use, not with the CLI (see withContainer).
    const { createMailTransport } = await import('../../mail/mail-transport.js');
    const transport = createMailTransport(config.mail.smtpUrl, config.mail.from);
    try {
      await transport.send(
        composeMail(
          {
            productName: config.productName,
            issuer: config.issuer,
            messages: createMessageCatalogue({ strict: false }),
            defaultLocale: config.defaultLocale,
          },
          config.defaultLocale,
          { to, subject: 'mail.test.subject', paragraphs: ['mail.test.lead'], values: { issuer: config.issuer } },
        ),
      );
    } catch (error) {
      throw new MailTestError(
        `could not send through ${new URL(config.mail.smtpUrl).host}: ${(error as Error).message}`,
      );
    } finally {
      transport.close();
    }
    out.result(`sent a test message to ${to}`, { sent: true, to });
  },
};
