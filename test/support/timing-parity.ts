/** One timed answer. */
export interface Timed {
  readonly ms: number;
}

/**
 * How much longer the first path takes than the second, as the median of the ratios of paired
 * samples (`first[i].ms / second[i].ms`). Taken back to back, both samples of a pair meet the same
 * load on the machine, so a ratio is about the paths, not the moment; the median ignores the few
 * pairs a burst of other work falls on. Near 1 when both paths do the same work, whatever the
 * machine's speed or load; far from it when one path skips or adds real work (a password hash, a
 * look-up and a mail). A bound in milliseconds would measure the machine instead.
 */
export function medianPairRatio(first: readonly Timed[], second: readonly Timed[]): number {
  if (first.length !== second.length || first.length === 0)
    throw new Error('medianPairRatio needs as many samples of each path, at least one');
  const ratios = first.map((a, i) => a.ms / (second[i] as Timed).ms).sort((x, y) => x - y);
  const middle = ratios.length / 2;
  return Number.isInteger(middle)
    ? ((ratios[middle - 1] as number) + (ratios[middle] as number)) / 2
    : (ratios[Math.floor(middle)] as number);
}

/**
 * The widest median ratio two paths doing the same work may show: 1.5 either way. Skipping a
 * password hash, or doing the look-up and the mail in the request, moves it well beyond.
 */
export const TIMING_PARITY = 1.5;
