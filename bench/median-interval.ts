// A median with a confidence interval that assumes nothing about the distribution (the sign test's
// order statistics): for n samples, the interval from the k-th smallest to the k-th largest holds
// the true median with probability 1 − 2·P(Binomial(n, ½) < k). The goals run (bench/goals.ts)
// reads its per-round ratios through it, so a verdict says when the machine's noise is wider than
// the distance to a goal.

export interface MedianInterval {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** The probability that the interval holds the true median (at least `confidence` when n allows it). */
  readonly coverage: number;
  readonly n: number;
}

/** P(Binomial(n, ½) ≤ j). */
function binomialHalfAtMost(n: number, j: number): number {
  let term = 0.5 ** n; // C(n, 0) / 2^n
  let sum = 0;
  for (let i = 0; i <= j; i += 1) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * The median of `xs` (the upper one for an even count, as bench/measure.ts's `median`) and the
 * narrowest order-statistic interval whose coverage is at least `confidence`; with too few samples
 * for that, the full range and the coverage it has (5 samples: 94 %).
 */
export function medianInterval(xs: readonly number[], confidence = 0.95): MedianInterval {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) throw new Error('medianInterval: no samples');
  let k = 1;
  while (k + 1 <= n / 2 && 1 - 2 * binomialHalfAtMost(n, k) >= confidence) k += 1;
  const coverage = 1 - 2 * binomialHalfAtMost(n, k - 1);
  return {
    median: sorted[Math.floor(n / 2)] as number,
    low: sorted[k - 1] as number,
    high: sorted[n - k] as number,
    coverage,
    n,
  };
}
