// Issue 25's goals read off a ladder (bench/ladder.ts): each scenario's ratio to bare at the rungs
// that say whose the remainder is, so a run states per goal whether it is met and, when it is not,
// which rung already falls below it.

/** Full sign-ins: 0.85x of bare on both stores; the token endpoints: 0.8x on SQLite, 0.6x on PostgreSQL. */
export function goalOf(signIns: boolean, store: 'sqlite' | 'postgresql'): number {
  if (signIns) return 0.85;
  return store === 'sqlite' ? 0.8 : 0.6;
}

/**
 * One line for a scenario whose median cost per rung is `costs` (rung 1, bare, first; the last is
 * Gatehouse). A rung's ratio is bare's cost over its own, as the goals are stated. Where the goal
 * is missed the line names the lowest rung already below it: durable storage alone (rung 2), the
 * provider mounted in Koa on it (rung 3, the fixed stack), every layer of ours but Gatehouse's own
 * code and configuration (rung 6), or Gatehouse's own step.
 */
export function goalLine(scenario: string, costs: readonly number[], goal: number): string {
  const [bare = 0] = costs;
  const ratio = (rung: number) => bare / (costs[rung - 1] ?? Number.NaN);
  const x = (rung: number) => `${ratio(rung).toFixed(2)}x`;
  const last = costs.length;
  const head = `${scenario}: ${x(last)} of bare (goal ${goal}x)`;
  if (ratio(last) >= goal) return `${head}: met`;
  const below =
    ratio(2) < goal
      ? 'durable storage alone (rung 2)'
      : ratio(3) < goal
        ? 'storage mounted in Koa (rung 3)'
        : ratio(last - 1) < goal
          ? `storage and our layers around the provider (rung ${last - 1})`
          : `Gatehouse's own step (rung ${last - 1} → ${last})`;
  return `${head}: not met; below it from ${below}; rung 2 ${x(2)}, rung 3 ${x(3)}, rung ${last - 1} ${x(last - 1)}`;
}

/** What a goals run (bench/goals.ts) can say of a goal from the interval of its per-round ratios. */
export type Verdict = 'met' | 'missed' | 'within the noise';

/**
 * Met when even the interval's low end reaches the goal, missed when even its high end falls short,
 * and otherwise within the noise: the rounds disagree by more than the distance to the goal.
 */
export function verdictOf(interval: { low: number; high: number }, goal: number): Verdict {
  if (interval.low >= goal) return 'met';
  if (interval.high < goal) return 'missed';
  return 'within the noise';
}
