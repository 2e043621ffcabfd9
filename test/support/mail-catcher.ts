import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from './free-port.js';

/** A mail as received by the test's SMTP server. */
export interface CaughtMail {
  readonly to: string[];
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Its Content-Language header (RFC 3282), when it has one. */
  readonly language?: string;
}

/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps every message it accepts,
 * parsed with `mailparser`. `stop()` and `start()` simulate an outage on the same port.
 */
export async function mailCatcher() {
  const port = await freePort();
  const mails: CaughtMail[] = [];
  let server: SMTPServer | undefined;

  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((parsed: ParsedMail) => {
          const to = [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
          mails.push({
            to,
            from: parsed.from?.value[0]?.address ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            language: parsed.headers.get('content-language')?.toString(),
          });
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(port, '127.0.0.1', () => resolve());
    });
  };
  await start();

  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    start,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    /** The mails sent to `to` so far. */
    to: (address: string) => mails.filter((m) => m.to.includes(address)),
    /** Waits until `count` mails to `to` have arrived (or `ms` passed) and returns them. */
    async waitFor(address: string, count = 1, ms = 10_000): Promise<CaughtMail[]> {
      const deadline = Date.now() + ms;
      while (mails.filter((m) => m.to.includes(address)).length < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return mails.filter((m) => m.to.includes(address));
    },
    /** Waits until a mail to `to` after the first `after` of them carries a one-time link, and returns it. */
    async waitForLink(address: string, after: number, ms = 10_000): Promise<CaughtMail> {
      const deadline = Date.now() + ms;
      const found = () =>
        mails
          .filter((m) => m.to.includes(address))
          .slice(after)
          .find((m) => LINK.test(m.text));
      while (!found() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const mail = found();
      if (!mail) throw new Error(`no mail with a link reached ${address} within ${ms} ms`);
      return mail;
    },
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

export type MailCatcher = Awaited<ReturnType<typeof mailCatcher>>;

/** The one-time link in a mail's text. */
const LINK = /https?:\/\/\S+token=[A-Za-z0-9_-]+/;

export const linkIn = (mail: CaughtMail): string => {
  const found = LINK.exec(mail.text)?.[0];
  if (!found) throw new Error(`no link in mail "${mail.subject}"`);
  return found;
};
