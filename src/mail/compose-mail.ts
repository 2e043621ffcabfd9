import type { OutgoingMail } from './mail-transport.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** Who a mail comes from, as people read it: the product's name and the issuer's host. */
export interface MailBrand {
  readonly productName: string;
  readonly issuer: string;
}

export interface MailContent {
  readonly to: string;
  readonly subject: string;
  /** Paragraphs of plain text; never a password. */
  readonly paragraphs: readonly string[];
  /** A button in HTML, the bare URL in text. */
  readonly link?: { readonly label: string; readonly url: string };
  /** Said after the link (how long it works, what to do if this was not you). */
  readonly after?: readonly string[];
}

/** A mail in plain text plus simple HTML (no images, no remote content), signed with the product's name and host. */
export function composeMail(brand: MailBrand, content: MailContent): OutgoingMail {
  const host = new URL(brand.issuer).host;
  const signature = `${brand.productName} (${host})`;
  const after = content.after ?? [];
  const text = [
    ...content.paragraphs,
    ...(content.link ? [`${content.link.label}:\n${content.link.url}`] : []),
    ...after,
    `-- \n${signature}`,
  ].join('\n\n');
  const p = (line: string) => `<p>${escape(line)}</p>`;
  const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">
${content.paragraphs.map(p).join('\n')}
${
  content.link
    ? `<p><a href="${escape(content.link.url)}" style="display:inline-block;padding:.5em 1em;background:#1f4fd1;color:#fff;text-decoration:none;border-radius:4px">${escape(content.link.label)}</a></p>
<p style="font-size:small">Or open this address: ${escape(content.link.url)}</p>`
    : ''
}
${after.map(p).join('\n')}
<p style="color:#666;font-size:small">${escape(signature)}</p>
</body></html>`;
  return { to: content.to, subject: `${content.subject} · ${brand.productName}`, text, html };
}
