import { medianInterval } from '../../bench/median-interval.js';

// The goals run's interval (bench/goals.ts): order statistics, so it holds whatever the noise's shape.

describe("a median's interval", () => {
  it('is the 2nd smallest to the 2nd largest of nine samples, which holds the median 96 % of the time', () => {
    const interval = medianInterval([0.9, 0.5, 0.7, 0.8, 0.6, 0.85, 0.75, 0.95, 0.65]);
    expect(interval).toMatchObject({ median: 0.75, low: 0.6, high: 0.9, n: 9 });
    // 1 − 2·(1 + 9)/512
    expect(interval.coverage).toBeCloseTo(0.9609, 4);
  });

  it('widens to the 3rd from each end for twelve samples', () => {
    const xs = Array.from({ length: 12 }, (_, i) => i + 1);
    const interval = medianInterval(xs);
    expect([interval.low, interval.high]).toEqual([3, 10]);
    // 1 − 2·(1 + 12 + 66)/4096
    expect(interval.coverage).toBeCloseTo(0.9614, 4);
  });

  it('takes the whole range, and says how much less it covers, when there are too few samples for 95 %', () => {
    const interval = medianInterval([3, 1, 2, 5, 4]);
    expect(interval).toMatchObject({ median: 3, low: 1, high: 5 });
    expect(interval.coverage).toBeCloseTo(0.9375, 4);
  });

  it('refuses to make an interval of nothing', () => {
    expect(() => medianInterval([])).toThrow('no samples');
  });
});
