import { explainAuditEvent } from '../../src/admin-console/explain-audit-event.js';

describe('an audit event, explained', () => {
  const event = {
    id: '1',
    at: '2026-12-05T09:00:00.000Z',
    lastAt: '2026-12-05T09:00:00.000Z',
    count: 1,
    outcome: 'success',
    reason: null,
    accountId: 'a',
    email: null,
    clientId: 'app',
    ip: null,
    userAgent: null,
  };

  it('says why the second step was asked, in the words the person sees', () => {
    expect(
      explainAuditEvent({
        ...event,
        type: 'mfa.decision',
        reason: 'asked',
        detail: { reasons: ['new_device'], mode: 'adaptive', method: 'totp' },
      }),
    ).toBe('Second step asked because: new browser (policy adaptive); answered with totp.');
    expect(
      explainAuditEvent({
        ...event,
        type: 'mfa.decision',
        reason: 'skipped',
        detail: { reasons: [], mode: 'adaptive' },
      }),
    ).toBe('Second step not asked: nothing unusual about this sign-in (policy adaptive).');
  });

  it('says which administrator made a change, and through what', () => {
    expect(
      explainAuditEvent({
        ...event,
        type: 'admin.client.updated',
        detail: { client: 'app', changed: ['name'], actor: 'console', adminEmail: 'root@example.com' },
      }),
    ).toBe('by root@example.com in the admin console; application app; changed name');
  });
});
