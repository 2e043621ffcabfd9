import QRCode from 'qrcode';
import { raw, type SafeHtml } from './html.js';

/** An inline SVG QR code of `text`, drawn on the server (the page runs no script). */
export async function qrCode(text: string): Promise<SafeHtml> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  // The library emits only its own markup around the module paths; the URI is not echoed into it.
  return raw(svg.replace('<svg ', '<svg role="img" aria-label="QR code for your authenticator app" class="qr" '));
}
