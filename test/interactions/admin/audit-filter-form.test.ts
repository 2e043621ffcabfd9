import { readAuditFilter } from '../../../interactions/admin/audit-filter-form.js';

describe('the audit filters, read from the query', () => {
  it('reads a person by email or account id, and a UTC time range', () => {
    const { filter, errors } = readAuditFilter({
      person: 'Ada@Example.com',
      since: '2026-12-01T08:00',
      until: '2026-12-02T08:00',
    });
    expect(errors).toEqual({});
    expect(filter).toEqual({
      email: 'ada@example.com',
      since: new Date('2026-12-01T08:00:00Z'),
      until: new Date('2026-12-02T08:00:00Z'),
    });
    expect(readAuditFilter({ person: 'acc-1' }).filter).toEqual({ accountId: 'acc-1' });
  });

  it('names each bad filter and leaves it out rather than guessing', () => {
    const { filter, errors } = readAuditFilter({
      type: 'nope',
      outcome: 'maybe',
      since: '2026-12-02T08:00',
      until: '2026-12-01T08:00',
    });
    expect(Object.keys(errors).sort()).toEqual(['outcome', 'type', 'until']);
    expect(filter).toEqual({ since: new Date('2026-12-02T08:00:00Z') });
  });
});
