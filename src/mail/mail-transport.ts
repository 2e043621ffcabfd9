import type { Transporter } from 'nodemailer';
import { loadOnce } from '../kernel/load-once.js';

/** One message as it leaves: plain text for every client, simple HTML for the others. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The language it is written in (BCP 47), sent as Content-Language (RFC 3282). */
  readonly language?: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** How long one SMTP exchange may take before it counts as a failure (and is retried later). */
const SMTP_TIMEOUT_MS = 15_000;

/**
 * SMTP through nodemailer: `smtp://` upgrades with STARTTLS when the server offers it, `smtps://`
 * is TLS from the first byte (RFC 8314). Credentials ride in the URL.
 *
 * The address is read here, at start; nodemailer itself loads with the first mail: it is 0.44 MB
 * of the bundle and about 1 MB of a started server's heap (docs/benchmarks.md, "Memory"), kept
 * until now even by a server without SMTP_URL, which never sends one. Making nodemailer's
 * transport opens no connection and checks nothing, so no failure moves from start to first mail.
 */
export function createMailTransport(smtpUrl: string, from: string): MailTransport {
  const url = new URL(smtpUrl);
  const options = {
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  };
  let opened: Transporter | undefined;
  const transporter = loadOnce(async () => {
    const { default: nodemailer } = await import('nodemailer');
    return (opened = nodemailer.createTransport(options));
  });
  return {
    async send(mail) {
      await (
        await transporter()
      ).sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.language ? { 'Content-Language': mail.language } : undefined,
      });
    },
    // Never opened, nothing to close.
    close: () => opened?.close(),
  };
}
