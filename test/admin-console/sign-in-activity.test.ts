import { signInActivity } from '../../src/admin-console/sign-in-activity.js';

const NOW = Date.UTC(2026, 11, 5, 12, 30);
const HOUR = 3600_000;
const row = (agoMs: number, outcome: string, count = 1) => ({ at: new Date(NOW - agoMs), outcome, count });

describe('sign-in activity for the Overview', () => {
  it('counts sign-ins and failures into 24 hourly and 7 daily buckets that end now', () => {
    const { day, week } = signInActivity(
      [row(0, 'success'), row(10 * 60_000, 'failure'), row(2 * HOUR, 'success'), row(3 * 24 * HOUR, 'blocked', 4)],
      NOW,
    );
    expect(day).toHaveLength(24);
    expect(week).toHaveLength(7);
    // A sign-in at this very moment lands in the newest bucket, not past its end.
    expect(day[23]).toMatchObject({ start: NOW - HOUR, signIns: 1, failures: 1 });
    expect(day[21]).toMatchObject({ signIns: 1, failures: 0 });
    expect(week[6]).toMatchObject({ signIns: 2, failures: 1 });
    // A folded row counts every repeat it stands for; blocked is a failure.
    expect(week[3]).toMatchObject({ signIns: 0, failures: 4 });
  });

  it('leaves out what is older than the window, and puts a moment ahead of this clock in the newest bucket', () => {
    const { day, week } = signInActivity(
      [row(25 * HOUR, 'success'), row(8 * 24 * HOUR, 'success'), row(-5_000, 'success')],
      NOW,
    );
    expect(day.reduce((n, b) => n + b.signIns, 0)).toBe(1);
    expect(day[23]?.signIns).toBe(1);
    expect(week.reduce((n, b) => n + b.signIns, 0)).toBe(2);
  });
});
