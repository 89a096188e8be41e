// How `simdnet train` does with its default settings beyond the two bundled datasets,
// and against the classic baseline on the same rows. For every dataset and seed it
// spawns the built command (`node dist/cli/main.js train <csv> --target y --seed s`,
// plus any extra arguments given to this script) and, on the same split and the same
// standardization (the CLI's own prepareTraining), fits the baseline: linear
// regression (closed form) for regression, logistic regression (Newton-CG, the
// library's default) for classification, both on every training row.
//
// Datasets: Friedman #1 (y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + N(0, 1),
// ten uniform features of which five matter) at 300 and at 100 rows, a noisy linear
// target, two overlapping Gaussian blobs (a linear boundary is the best there is), the
// bundled iris and digits. The generated files are fixed (their own data seed); --seed
// varies the split, the initial weights and the shuffling.
//
// Scored on: for generated data, a fresh sample of 5,000 rows from the same distribution
// (`simdnet evaluate` on the saved model; the baseline on the same rows, standardized with
// the training statistics), so the comparison is not at the mercy of a 40-row test split;
// the CLI's own test split is shown beside it. For iris and digits, the test split.
//
// "Far below" the baseline: an R² more than 0.1 below it (a tenth of the target's variance
// left unexplained that the baseline explains), or an accuracy more than 3 percentage points
// below it, on the rows scored; on a test split also by more than one row (one of iris's 30
// test rows is 3.3 points). A network fitted to 64 rows of a smooth function (friedman1-100)
// or to a linear truth is not expected to match the straight line everywhere; the issue's
// failure was an R² below zero where the line gets 0.7. The table prints min / median / max over
// the seeds of the default run, of the baseline, and of (default − baseline); it ends with
// every run that lands far below, and exits with status 1 when there is one.
//
// Run after `npm run build`:
//   node scripts/measure-defaults.mjs                      the defaults, seeds 1–10
//   node scripts/measure-defaults.mjs --seeds 1-20         other seeds
//   node scripts/measure-defaults.mjs --only friedman1,iris
//   node scripts/measure-defaults.mjs --each               also every run's scores
//   node scripts/measure-defaults.mjs -- --optimizer sgd --lr 0.01 --validation-split 0
//                                                          anything after -- goes to every train
// Writes its CSVs and models into a temporary directory that it removes at the end (--keep keeps it).

import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blobs, friedman1, linear } from './synthetic.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/cli/main.js');
const { LinearRegression, LogisticRegression } = await import(join(ROOT, 'dist/index.js'));
const { prepareTraining } = await import(join(ROOT, 'dist/cli/train-data.js'));
const { regressionReport } = await import(join(ROOT, 'dist/cli/report.js'));
const { standardize } = await import(join(ROOT, 'dist/cli/split.js'));
const { TRAIN_DEFAULTS } = await import(join(ROOT, 'dist/cli/train-options.js'));

const FAR = { r2: 0.1, accuracy: 0.03 };
const FRESH_ROWS = 5000;

// ---- arguments ----
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash < 0 ? argv : argv.slice(0, dash);
const extra = dash < 0 ? [] : argv.slice(dash + 1);
let seeds = range(1, 10), only = null, keep = false, each = false, jobs = Math.max(1, Math.min(4, cpus().length));
for (let i = 0; i < own.length; i++) {
  const a = own[i];
  if (a === '--seeds') {
    const m = /^(\d+)(?:-(\d+))?$/.exec(own[++i] ?? '');
    if (!m) usage(`--seeds: expected n or a-b, got ${own[i]}`);
    seeds = range(Number(m[1]), Number(m[2] ?? m[1]));
  } else if (a === '--only') only = (own[++i] ?? '').split(',');
  else if (a === '--jobs') jobs = Math.max(1, Number(own[++i]) || 1);
  else if (a === '--keep') keep = true;
  else if (a === '--each') each = true;
  else usage(`unknown argument ${a}`);
}

function usage(message) {
  process.stderr.write(`measure-defaults: ${message}\nusage: node scripts/measure-defaults.mjs [--seeds 1-10] [--only a,b] [--jobs n] [--keep] [--each] [-- train options]\n`);
  process.exit(2);
}

function range(a, b) {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

const DATASETS = [
  { name: 'friedman1', rows: 300, task: 'regression', make: friedman1, seed: 101 },
  { name: 'friedman1-100', rows: 100, task: 'regression', make: friedman1, seed: 102 },
  { name: 'linear', rows: 200, task: 'regression', make: linear, seed: 202 },
  { name: 'blobs', rows: 300, task: 'classification', make: blobs, seed: 303 },
  { name: 'iris', rows: 150, task: 'classification', file: join(ROOT, 'datasets/iris/iris.csv'), target: 'label' },
  { name: 'digits', rows: 1797, task: 'classification', file: join(ROOT, 'datasets/digits/digits.csv'), target: 'label' },
].filter((d) => !only || only.includes(d.name));

// ---- runs ----
function cli(...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Train with the defaults (and the extra options); for generated data, score the saved model on the fresh sample. */
async function defaultRun(d, seed) {
  const model = join(dir, `${d.name}-${seed}.simdnet`);
  const r = await cli('train', d.file, '--target', d.target, '--seed', String(seed), ...(d.fresh ? ['--out', model] : []), ...extra);
  if (r.code !== 0) return { test: NaN, fresh: NaN, epochs: NaN, seconds: NaN, failure: r.stderr.trim() || `exit ${r.code}` };
  const trained = /^training: (\d+) epochs? .* in ([\d.]+) s/m.exec(r.stdout);
  const out = { test: score(r.stdout, /^test (?:R²|accuracy) (-?[\d.]+)/m), fresh: NaN, epochs: Number(trained?.[1]), seconds: Number(trained?.[2]), failure: null };
  if (d.fresh) {
    const e = await cli('evaluate', model, d.fresh);
    if (e.code !== 0) return { ...out, failure: e.stderr.trim() };
    out.fresh = score(e.stdout, /(?:R²|^accuracy) (-?[\d.]+)/m);
  }
  return out;
}

function score(text, pattern) {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : NaN;
}

/** The baseline on the CLI's own split and standardization, fitted on every training row: its test score and its fresh-sample score. */
async function baseline(d, seed) {
  const o = { data: d.file, target: d.target, task: d.task, testSplit: TRAIN_DEFAULTS.testSplit, seed };
  const data = await prepareTraining(o);
  const p = data.features.length;
  const x = { data: data.train.x, shape: [data.split.train.length, p] };
  const sets = [{ x: data.test.x, y: d.task === 'regression' ? data.test.raw : data.test.y }];
  if (d.freshTable) {
    const t = d.freshTable;
    sets.push({ x: standardize(t.x, p, null, data.normalization), y: d.task === 'regression' ? t.y : Int32Array.from(t.y, (v) => data.classes.indexOf(v)) });
  }
  if (d.task === 'regression') {
    const model = await new LinearRegression().fit(x, data.train.y);
    const { mean, std } = data.targetNormalization;
    const scores = sets.map((s) => regressionReport(Float64Array.from(model.predict({ data: s.x, shape: [s.y.length, p] }).data, (v) => v * std + mean), Float64Array.from(s.y)).r2);
    return { test: scores[0], fresh: scores[1] ?? NaN };
  }
  const model = await new LogisticRegression({ classes: data.classes.length }).fit(x, data.train.y);
  const scores = sets.map((s) => {
    const predicted = model.predict({ data: s.x, shape: [s.y.length, p] });
    return predicted.reduce((n, c, i) => n + (c === s.y[i] ? 1 : 0), 0) / predicted.length;
  });
  return { test: scores[0], fresh: scores[1] ?? NaN };
}

/** The fresh sample as numbers: features row-major, the target as numbers or class names. */
function tableOf(text) {
  const lines = text.trim().split('\n').slice(1).map((l) => l.split(','));
  const p = lines[0].length - 1;
  const x = new Float64Array(lines.length * p);
  lines.forEach((cells, r) => cells.slice(0, p).forEach((c, j) => (x[r * p + j] = Number(c))));
  const last = lines.map((cells) => cells[p]);
  return { x, y: last.every((v) => Number.isFinite(Number(v))) ? Float64Array.from(last, Number) : last };
}

async function pool(tasks, n) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }));
  return results;
}

// ---- main ----
const dir = await mkdtemp(join(tmpdir(), 'simdnet-defaults-'));
try {
  for (const d of DATASETS) {
    if (!d.make) continue;
    d.file = join(dir, `${d.name}.csv`);
    d.fresh = join(dir, `${d.name}-fresh.csv`);
    d.target = 'y';
    await writeFile(d.file, d.make(d.rows, d.seed));
    const fresh = d.make(FRESH_ROWS, d.seed + 1000);
    await writeFile(d.fresh, fresh);
    d.freshTable = tableOf(fresh);
  }
  const started = performance.now();
  const work = DATASETS.flatMap((d) => seeds.map((seed) => ({ d, seed })));
  const runs = await pool(work.map(({ d, seed }) => async () => ({ d, seed, run: await defaultRun(d, seed), base: await baseline(d, seed) })), jobs);
  const elapsed = (performance.now() - started) / 1000;

  const lines = [];
  lines.push(`simdnet train defaults vs the baseline, seeds ${seeds[0]}–${seeds[seeds.length - 1]}${extra.length ? `, extra options: ${extra.join(' ')}` : ''}`);
  lines.push(`scored on a fresh sample of ${FRESH_ROWS} rows for generated data, on the test split for iris and digits`);
  lines.push(`"far below": R² more than ${FAR.r2} below the baseline, accuracy more than ${FAR.accuracy * 100} points (and on a test split more than one row) below`);
  lines.push('');
  const head = ['dataset', 'rows', 'scored on', 'default: min / median / max', 'baseline: min / median / max', 'default − baseline: min / median / max', 'test split: default − baseline, median', 'epochs (median)', 's (median)'];
  const table = [head];
  const far = [];
  for (const d of DATASETS) {
    const mine = runs.filter((r) => r.d === d);
    const key = d.fresh ? 'fresh' : 'test';
    const scores = mine.map((r) => r.run[key]), base = mine.map((r) => r.base[key]);
    const gaps = mine.map((r) => r.run[key] - r.base[key]);
    const metric = d.task === 'regression' ? 'R²' : 'accuracy';
    const baseName = d.task === 'regression' ? 'linear' : 'logistic';
    const where = d.fresh ? `${metric}, ${FRESH_ROWS} fresh rows` : `${metric}, test split`;
    const testGap = median(mine.map((r) => r.run.test - r.base.test));
    table.push([d.name, String(d.rows), where, spread(scores), `${spread(base)} (${baseName})`, spread(gaps, true), signed(testGap), String(median(mine.map((r) => r.run.epochs))), median(mine.map((r) => r.run.seconds)).toFixed(2)]);
    const testRows = Math.round(d.rows * TRAIN_DEFAULTS.testSplit);
    for (const r of mine) {
      const gap = r.base[key] - r.run[key];
      const tooFar = d.task === 'regression' ? gap > FAR.r2 : gap > FAR.accuracy + 1e-9 && (d.fresh || gap * testRows > 1 + 1e-9);
      if (r.run.failure) far.push(`${d.name} seed ${r.seed}: failed: ${r.run.failure}`);
      else if (tooFar) far.push(`${d.name} seed ${r.seed}: ${metric} ${r.run[key].toFixed(4)} vs baseline ${r.base[key].toFixed(4)}`);
    }
  }
  lines.push(...formatTable(table));
  lines.push('');
  lines.push(far.length ? `far below the baseline (${far.length} of ${runs.length} runs):` : `no run far below the baseline (${runs.length} runs, ${elapsed.toFixed(0)} s)`);
  lines.push(...far.map((f) => `  ${f}`));
  if (each) {
    lines.push('', 'every run: dataset seed: default (baseline) on the rows scored; test split: default (baseline); epochs');
    for (const r of runs) {
      const key = r.d.fresh ? 'fresh' : 'test';
      lines.push(`  ${r.d.name} ${r.seed}: ${r.run[key].toFixed(4)} (${r.base[key].toFixed(4)}); test ${r.run.test.toFixed(4)} (${r.base.test.toFixed(4)}); ${r.run.epochs}`);
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
  process.exitCode = far.length ? 1 : 0;
} finally {
  if (keep) process.stderr.write(`kept ${dir}\n`);
  else await rm(dir, { recursive: true, force: true });
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function signed(v) {
  return (v >= 0 ? '+' : '') + v.toFixed(3);
}

function spread(values, withSign = false) {
  if (values.some((v) => !Number.isFinite(v))) return 'failed';
  const s = [...values].sort((a, b) => a - b);
  const f = (v) => (withSign ? signed(v) : v.toFixed(3));
  return `${f(s[0])} / ${f(median(s))} / ${f(s[s.length - 1])}`;
}

function formatTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => `| ${r.map((v, c) => v.padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)];
}
