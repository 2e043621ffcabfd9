import { passkeySetup, user } from '../passkeys/passkey-setup.js';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { auditMetrics } from '../../src/metrics/audit-metrics.js';

let setup: Awaited<ReturnType<typeof passkeySetup>>;
const metrics = createMetrics(() => Date.UTC(2026, 11, 4));
beforeAll(async () => {
  setup = await passkeySetup({ onEvent: auditMetrics(metrics) });
});
afterAll(() => setup.store.close());

const valueOf = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('passkey registrations and assertions are counted by outcome, from the audit events', async () => {
  const { device } = await setup.withPasskey();
  const options = await setup.passkeys.beginAuthentication('here');
  await setup.passkeys.finishAuthentication('here', device.authenticate(options), {
    requireUserVerification: true,
    actor: user,
  });
  const again = await setup.passkeys.beginAuthentication('here');
  await expect(
    setup.passkeys.finishAuthentication('here', device.authenticate(again, { counter: 1 }), {
      requireUserVerification: true,
      actor: user,
    }),
  ).rejects.toMatchObject({ code: 'ERR_PASSKEY_CLONED' });
  const text = await metrics.registry.metrics();
  expect(valueOf(text, 'gatehouse_passkeys_total{ceremony="registration",outcome="success"}')).toBe(1);
  expect(valueOf(text, 'gatehouse_passkeys_total{ceremony="authentication",outcome="success"}')).toBe(1);
  expect(valueOf(text, 'gatehouse_passkeys_total{ceremony="authentication",outcome="cloned"}')).toBe(1);
});
