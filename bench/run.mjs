// `npm run bench`: the full benchmark, then bench/RESULTS.md, results.json and results.svg.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { writeReports, formatRatio, formatValue } from './report.mjs';
import { runBench } from './suite.mjs';

const dir = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');

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
const tf = results.meta.contenders.find((c) => c.id === 'tfjs-wasm')?.wasmBinary;
console.log(`\nTF.js wasm binary: ${tf?.instantiated}`);
if (!quick) console.log(`Wrote ${join(dir, 'RESULTS.md')}, results.json, results.svg`);
