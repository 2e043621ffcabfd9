/**
 * The ladder's rungs (bench/ladder.ts): rung 1 is bench/bare-provider.ts's own process, rungs
 * FIRST_BUILT_RUNG to LAST_BUILT_RUNG are built by bench/ladder-provider.ts, and the rung after
 * them is Gatehouse itself (`gatehouse serve`). Apart so the runner need not load what the rungs load.
 */
export const FIRST_BUILT_RUNG = 2;
export const LAST_BUILT_RUNG = 6;
