import nodemailer from 'nodemailer';

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
 */
export function createMailTransport(smtpUrl: string, from: string): MailTransport {
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.language ? { 'Content-Language': mail.language } : undefined,
      });
    },
    close: () => transport.close(),
  };
}
