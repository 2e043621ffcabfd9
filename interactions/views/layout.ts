import { html, type SafeHtml } from './html.js';

export interface LayoutOptions {
  readonly title: string;
  readonly body: SafeHtml;
  /** Wider card for tables (the account console). */
  readonly wide?: boolean;
}

/** The frame of every page Gatehouse renders: no scripts, one same-origin stylesheet. */
export function layout({ title, body, wide = false }: LayoutOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · Gatehouse</title>
<link rel="stylesheet" href="/assets/gatehouse.css">
</head>
<body>
<main class="${wide ? 'card wide' : 'card'}">
<p class="brand">Gatehouse</p>
${body}
</main>
</body>
</html>
`.value;
}
