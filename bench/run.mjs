// `npm run bench`: the full benchmark, then bench/RESULTS.md, results.json and results.svg.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { writeReports, formatRatio, formatValue } from './report.mjs';
import { WORKLOADS, runBench } from './suite.mjs';

const dir = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',').filter(Boolean) : null;
if (process.argv.includes('--help')) {
  console.log(
    [
      'node bench/run.mjs [--quick] [--only=W1,W2,…]',
      '  (no flag)     the full benchmark (about 8–12 minutes), then bench/RESULTS.md, results.json, results.svg',
      '  --quick       every workload for one iteration on tiny data; prints figures, writes nothing',
      `  --only=LIST   only these workloads (some of ${WORKLOADS.join(', ')}), measured as in the full run; prints figures, writes nothing`,
    ].join('\n'),
  );
  process.exit(0);
}
// A partial run would leave RESULTS.md without the other tables: only full runs write reports.
const writes = !quick && !only;

const results = await runBench({ quick, only, saveTo: writes ? join(dir, 'benny') : null });
if (writes) writeReports(results, dir);

console.log(`\nsimdnet ${results.meta.commit} · ${results.meta.cpu} × ${results.meta.cores} · Node ${results.meta.node} · ${results.meta.durationSeconds} s`);
for (const t of results.tables) {
  console.log(`\n${t.id} (${t.unit}, median [min–max], × simdnet-wasm)`);
  for (const r of t.rows) {
    const learned = r.check ? (r.check.learned ? '  XOR learned' : '  XOR NOT learned') : '';
    const cpu = r.perCpuSecond ? `  (${formatValue(r.perCpuSecond, t.unit)} per CPU-s)` : '';
    console.log(`  ${r.label.padEnd(33)} ${formatValue(r.median, t.unit).padStart(12)} [${formatValue(r.min, t.unit)}–${formatValue(r.max, t.unit)}]  ${formatRatio(r.vsWasm)}${cpu}${learned}`);
  }
}
const fmt = (v) => (v.error ? `not measured (${v.error})` : `${v.median.toFixed(1)} GFLOP/s [${v.min.toFixed(1)}–${v.max.toFixed(1)}]`);
const c = results.ceiling;
if (c.plain) console.log(`\nf32x4 ceiling per core: plain ${fmt(c.plain)}, relaxed ${fmt(c.relaxed)} (${c.relaxed.where})${c.w2SimdnetWasmOfPlain ? `; W2 simdnet-wasm at ${(100 * c.w2SimdnetWasmOfPlain).toFixed(0)}% of plain` : ''}`);
if (c.plainBeforeW5) console.log(`  before W5: plain ${fmt(c.plainBeforeW5)}${c.w5SimdnetWasmOfPlain ? `; W5 simdnet-wasm at ${(100 * c.w5SimdnetWasmOfPlain).toFixed(0)}% of plain` : ''}`);
const pct = (v) => (v === null || v === undefined ? 'n/a' : `${(100 * v).toFixed(1)} %`);
const cost = (x) => (x ? `${pct(x.wall)} (${x.rounds} interleaved rounds, CPU time ${pct(x.cpu)}; table medians ${pct(x.fromRows)})` : 'n/a');
const k = results.costs;
console.log('');
if (k.w5NonDenseShare) console.log(`W5 share outside dense products (simdnet-wasm): ${cost(k.w5NonDenseShare)}  [target ≤ 25 %]`);
if (k.w2AdamCost || k.w1AdamCost) console.log(`Adam cost, t(Adam)/t(SGD) − 1: W2 ${cost(k.w2AdamCost)}  [target ≤ 5 %]; W1 ${cost(k.w1AdamCost)}`);
if (k.w3ScheduleCost) console.log(`W3 cosine schedule cost: after the decay ${cost(k.w3ScheduleCost)}, mid-decay ${cost(k.w3ScheduleMidDecayCost)}  [target within 10 %]`);
const tf = results.meta.contenders.find((c) => c.id === 'tfjs-wasm')?.wasmBinary;
if (tf) console.log(`\nTF.js wasm binary: ${tf.instantiated}`);
if (writes) console.log(`Wrote ${join(dir, 'RESULTS.md')}, results.json, results.svg`);
