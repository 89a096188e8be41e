// `npm run bench`: the full benchmark, then bench/RESULTS.md, results.json and results.svg.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { writeReports, formatRatio, formatValue } from './report.mjs';
import { runBench } from './suite.mjs';

const dir = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
if (process.argv.includes('--help')) {
  console.log('node bench/run.mjs [--quick]\n  (no flag)  the full benchmark (6–10 minutes), then bench/RESULTS.md, results.json, results.svg\n  --quick    every workload for one iteration on tiny data; prints figures, writes nothing');
  process.exit(0);
}

const results = await runBench({ quick, saveTo: quick ? null : join(dir, 'benny') });
if (!quick) writeReports(results, dir);

console.log(`\nsimdnet ${results.meta.commit} · ${results.meta.cpu} × ${results.meta.cores} · Node ${results.meta.node} · ${results.meta.durationSeconds} s`);
for (const t of results.tables) {
  console.log(`\n${t.id} (${t.unit}, median [min–max], × simdnet-wasm)`);
  for (const r of t.rows) {
    const learned = r.check ? (r.check.learned ? '  XOR learned' : '  XOR NOT learned') : '';
    const cpu = r.perCpuSecond ? `  (${formatValue(r.perCpuSecond, t.unit)} per CPU-s)` : '';
    console.log(`  ${r.label.padEnd(14)} ${formatValue(r.median, t.unit).padStart(12)} [${formatValue(r.min, t.unit)}–${formatValue(r.max, t.unit)}]  ${formatRatio(r.vsWasm)}${cpu}${learned}`);
  }
}
const fmt = (v) => (v.error ? `not measured (${v.error})` : `${v.median.toFixed(1)} GFLOP/s [${v.min.toFixed(1)}–${v.max.toFixed(1)}]`);
const c = results.ceiling;
console.log(`\nf32x4 ceiling per core: plain ${fmt(c.plain)}, relaxed ${fmt(c.relaxed)} (${c.relaxed.where})${c.w2SimdnetWasmOfPlain ? `; W2 simdnet-wasm at ${(100 * c.w2SimdnetWasmOfPlain).toFixed(0)}% of plain` : ''}`);
const tf = results.meta.contenders.find((c) => c.id === 'tfjs-wasm')?.wasmBinary;
console.log(`\nTF.js wasm binary: ${tf?.instantiated}`);
if (!quick) console.log(`Wrote ${join(dir, 'RESULTS.md')}, results.json, results.svg`);
