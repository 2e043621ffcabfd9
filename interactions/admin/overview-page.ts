import type { AdminPageModule } from './admin-frame.js';
import { html } from '../views/html.js';
import type { OverviewService } from '../../src/admin-console/overview-service.js';
import { activityChart } from './activity-chart.js';
import { eventLine, when } from './admin-format.js';

export interface OverviewDeps {
  readonly adminOverview: OverviewService;
}

const hour = (ms: number) => `${new Date(ms).toISOString().slice(11, 13)}h`;
const day = (ms: number) => new Date(ms).toISOString().slice(5, 10);

/** The console's first page (/admin): counts, sign-in activity, second-step adoption, security events. */
export const overviewPage =
  ({ adminOverview }: OverviewDeps): AdminPageModule =>
  (router, kit) => {
    router.get('/', async (ctx) => {
      const o = await adminOverview.read();
      const share = Math.round(o.adoption * 100);
      kit.render(ctx, {
        title: 'Overview',
        section: 'overview',
        body: html`<ul class="stats">
<li><a href="/admin/people"><strong>${o.people}</strong> people</a></li>
<li><strong>${o.sessions}</strong> active sessions</li>
<li><a href="/admin/applications"><strong>${o.applications}</strong> applications</a></li>
<li><a href="/admin/apis"><strong>${o.apis}</strong> APIs</a></li>
</ul>
<h2>Sign-ins</h2>
<div class="charts">
${activityChart('chart-day', 'Last 24 hours (UTC, by hour)', o.activity.day, hour)}
${activityChart('chart-week', 'Last 7 days (UTC, by day)', o.activity.week, day)}
</div>
<h2>Second-step adoption</h2>
<p><strong>${share}%</strong> of people (${o.withSecondFactor} of ${o.people}) have a second factor (an authenticator app or a passkey).</p>
<svg class="meter" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="4"></rect><rect class="bar-ok" width="${share}" height="4"></rect></svg>
<h2>Recent security events</h2>
${
  o.securityEvents.length === 0
    ? html`<p class="muted">No throttling, refresh-token reuse or blocked sign-in recorded.</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Who</th><th scope="col">From</th></tr></thead>
<tbody>${o.securityEvents.map(
        (e) => html`<tr>
<td data-label="When">${when(e.lastAt)}</td>
<td data-label="Event">${eventLine(e.type, e.outcome, e.reason, e.count)}</td>
<td data-label="Who">${e.accountId ? html`<a href="/admin/people/${e.accountId}">${e.email ?? e.accountId}</a>` : (e.email ?? '—')}</td>
<td data-label="From">${e.ip ?? '—'}</td>
</tr>`,
      )}</tbody></table>`
}`,
      });
    });
  };
