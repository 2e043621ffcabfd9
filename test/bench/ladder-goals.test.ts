import { goalLine, goalOf, verdictOf } from '../../bench/ladder-goals.js';

// The ladder's per-goal lines (bench/ladder.ts): a rung's ratio is bare's cost over its own.

describe("a ladder's goal line", () => {
  it('takes each goal from the issue: sign-ins 0.85x on both stores, token endpoints 0.8x on SQLite and 0.6x on PostgreSQL', () => {
    expect([goalOf(true, 'sqlite'), goalOf(true, 'postgresql')]).toEqual([0.85, 0.85]);
    expect([goalOf(false, 'sqlite'), goalOf(false, 'postgresql')]).toEqual([0.8, 0.6]);
  });

  it('says a goal is met when Gatehouse costs no more than bare over the goal', () => {
    expect(goalLine('full sign-in', [32, 33, 33, 34, 35, 36, 37], 0.85)).toBe(
      'full sign-in: 0.86x of bare (goal 0.85x): met',
    );
  });

  it('names durable storage when storage alone already falls below the goal', () => {
    expect(goalLine('userinfo', [100, 200, 200, 210, 220, 230, 300], 0.6)).toBe(
      'userinfo: 0.33x of bare (goal 0.6x): not met; below it from durable storage alone (rung 2); rung 2 0.50x, rung 3 0.50x, rung 6 0.43x',
    );
  });

  it('names the fixed stack when storage alone meets the goal but storage mounted in Koa does not', () => {
    expect(goalLine('revocation', [80, 95, 105, 120, 130, 140, 150], 0.8)).toBe(
      'revocation: 0.53x of bare (goal 0.8x): not met; below it from storage mounted in Koa (rung 3); rung 2 0.84x, rung 3 0.76x, rung 6 0.57x',
    );
  });

  it("names our layers when storage in Koa meets the goal but every layer but Gatehouse's own does not", () => {
    expect(goalLine('revocation', [80, 90, 95, 120, 130, 140, 150], 0.8)).toBe(
      'revocation: 0.53x of bare (goal 0.8x): not met; below it from storage and our layers around the provider (rung 6); rung 2 0.89x, rung 3 0.84x, rung 6 0.57x',
    );
  });

  it("names Gatehouse's own step when every rung below it meets the goal", () => {
    expect(goalLine('full sign-in', [30, 31, 32, 33, 34, 35, 40], 0.85)).toBe(
      "full sign-in: 0.75x of bare (goal 0.85x): not met; below it from Gatehouse's own step (rung 6 → 7); rung 2 0.97x, rung 3 0.94x, rung 6 0.86x",
    );
  });
});

describe("a goals run's verdict", () => {
  it('is met only when the whole interval of ratios reaches the goal', () => {
    expect(verdictOf({ low: 0.8, high: 0.95 }, 0.8)).toBe('met');
  });

  it('is missed only when the whole interval falls short of it', () => {
    expect(verdictOf({ low: 0.6, high: 0.79 }, 0.8)).toBe('missed');
  });

  it('is within the noise when the interval straddles the goal', () => {
    expect(verdictOf({ low: 0.7, high: 0.9 }, 0.8)).toBe('within the noise');
  });
});
