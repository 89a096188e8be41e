#!/usr/bin/env node
// npm run fuzz -- --runs N [--seed S]: the suite's fuzz properties (test/fuzz-*.test.ts)
// for N cases each instead of the few thousand `npm test` runs, from seed S (a fresh
// one by default, printed first so a run can be repeated). A failure prints fast-check's
// seed, path and shrunk counterexample.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const usage = 'usage: npm run fuzz -- [--runs N] [--seed S]';
let values;
try {
  ({ values } = parseArgs({ options: { runs: { type: 'string', default: '20000' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (e) {
  console.error(`fuzz: ${e.message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const runs = Number(values.runs);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed)) {
  console.error(`fuzz: expected --runs ≥ 1 and an integer --seed, got --runs ${values.runs}${values.seed === undefined ? '' : ` --seed ${values.seed}`}\n${usage}`);
  process.exit(2);
}
console.log(`fuzz: ${runs} cases per property, seed ${seed}`);
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', 'test/fuzz-'], {
  stdio: 'inherit',
  env: { ...process.env, SIMDNET_FUZZ_RUNS: String(runs), SIMDNET_FUZZ_SEED: String(seed) },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
