// How many cases each fuzz property runs, and from which seed. `npm test` runs a
// fixed seed, so a failure reproduces; `npm run fuzz -- --runs N [--seed S]` sets
// both through the environment (scripts/fuzz.mjs). fast-check prints the seed, the
// path and the shrunk counterexample of any failure.
import type { Parameters } from 'fast-check';

const runs = Number(process.env.SIMDNET_FUZZ_RUNS);
const seed = Number(process.env.SIMDNET_FUZZ_SEED);

/** Settings of one property: `cases` in npm test, or what the fuzz script asked for. */
export function fuzz<T>(cases: number): Parameters<T> {
  return {
    numRuns: Number.isSafeInteger(runs) && runs > 0 ? runs : cases,
    seed: Number.isSafeInteger(seed) ? seed : 20261201,
    // The counterexample is printed whole: a shrunk file is short.
    verbose: 1,
  };
}

/** Per-test timeout: generous for long fuzz runs, the suite's usual minute otherwise. */
export const FUZZ_TIMEOUT = Number.isSafeInteger(runs) && runs > 0 ? 24 * 3600_000 : 60_000;
