import { html, type SafeHtml } from '../views/html.js';
import type { ActivityBucket } from '../../src/admin-console/sign-in-activity.js';

const WIDTH = 480;
const HEIGHT = 140;
const AXIS = 18;

/**
 * Sign-ins and failures per bucket as an inline SVG bar chart: no script, scales to the card's
 * width (viewBox), colours from the stylesheet (classes, since the CSP allows no inline styles).
 * The totals are also written out in words, and the chart names itself for screen readers.
 */
export function activityChart(
  id: string,
  caption: string,
  buckets: readonly ActivityBucket[],
  label: (start: number) => string,
): SafeHtml {
  const max = Math.max(1, ...buckets.map((b) => Math.max(b.signIns, b.failures)));
  const slot = WIDTH / buckets.length;
  const bar = Math.max(2, slot / 2 - 2);
  const y = (n: number) => HEIGHT - AXIS - (n / max) * (HEIGHT - AXIS - 8);
  const signIns = buckets.reduce((n, b) => n + b.signIns, 0);
  const failures = buckets.reduce((n, b) => n + b.failures, 0);
  const every = Math.ceil(buckets.length / 8);
  return html`<figure class="chart">
<figcaption id="${id}">${caption}: ${signIns} sign-in${signIns === 1 ? '' : 's'}, ${failures} failure${failures === 1 ? '' : 's'}</figcaption>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}" preserveAspectRatio="none">
<line class="axis" x1="0" y1="${HEIGHT - AXIS}" x2="${WIDTH}" y2="${HEIGHT - AXIS}"></line>
${buckets.map((b, i) => {
  const x = i * slot + 1;
  return html`<g><title>${label(b.start)}: ${b.signIns} sign-ins, ${b.failures} failures</title>
<rect class="bar-ok" x="${x.toFixed(1)}" y="${y(b.signIns).toFixed(1)}" width="${bar.toFixed(1)}" height="${(HEIGHT - AXIS - y(b.signIns)).toFixed(1)}"></rect>
<rect class="bar-fail" x="${(x + bar + 1).toFixed(1)}" y="${y(b.failures).toFixed(1)}" width="${bar.toFixed(1)}" height="${(HEIGHT - AXIS - y(b.failures)).toFixed(1)}"></rect>
${i % every === 0 ? html`<text x="${x.toFixed(1)}" y="${HEIGHT - 4}">${label(b.start)}</text>` : ''}</g>`;
})}
</svg>
<p class="legend muted"><span class="key ok"></span> Sign-ins <span class="key fail"></span> Failures (wrong password, throttled or blocked)</p>
</figure>`;
}
