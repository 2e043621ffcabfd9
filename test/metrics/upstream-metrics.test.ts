import { createMetrics } from '../../src/metrics/create-metrics.js';
import { auditMetrics } from '../../src/metrics/audit-metrics.js';

const valueOf = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('sign-ins, links and unlinks at other providers are counted per connection and outcome, from the audit events', async () => {
  const metrics = createMetrics(() => Date.UTC(2026, 11, 5));
  const observe = auditMetrics(metrics);
  observe({ type: 'upstream.signin', outcome: 'success', detail: { connection: 'Acme SSO' } });
  observe({ type: 'upstream.signin', outcome: 'success', detail: { connection: 'Acme SSO' } });
  observe({
    type: 'upstream.signin',
    outcome: 'failure',
    reason: 'invalid_id_token',
    detail: { connection: 'Acme SSO' },
  });
  observe({ type: 'upstream.linked', outcome: 'success', detail: { connection: 'GitHub' } });
  observe({ type: 'upstream.unlinked', outcome: 'failure', reason: 'last_way_in', detail: { connection: 'GitHub' } });
  const text = await metrics.registry.metrics();
  const series = (connection: string, event: string, outcome: string) =>
    `gatehouse_upstream_sign_ins_total{connection="${connection}",event="${event}",outcome="${outcome}"}`;
  expect(valueOf(text, series('Acme SSO', 'signin', 'success'))).toBe(2);
  expect(valueOf(text, series('Acme SSO', 'signin', 'invalid_id_token'))).toBe(1);
  expect(valueOf(text, series('GitHub', 'linked', 'success'))).toBe(1);
  expect(valueOf(text, series('GitHub', 'unlinked', 'last_way_in'))).toBe(1);
});
