// The browser benchmark's section of bench/RESULTS.md: written by `npm run bench:browser`
// into the file `npm run bench` writes, and kept by it (between the two markers).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const BEGIN = '<!-- browser benchmark: npm run bench:browser -->';
const END = '<!-- /browser benchmark -->';

const fmt = (v, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const LABEL = { 'simdnet-relaxed': 'simdnet, 1 thread (relaxed SIMD)', 'simdnet-2t': 'simdnet, 2 threads (relaxed SIMD, Web Workers)', 'tfjs-wasm': 'TF.js wasm (SIMD, 2 threads)' };

function trainingTable(rows, unit, extra) {
  const tf = rows.find((r) => r.contender === 'tfjs-wasm').samplesPerSecond;
  return [
    `| contender | ${unit} | × TF.js wasm |${extra ? ` ${extra.title} |` : ''}`,
    `|---|---:|---:|${extra ? '---:|' : ''}`,
    ...rows.map((r) => `| ${LABEL[r.contender]} | ${fmt(r.samplesPerSecond)} | ${fmt(r.samplesPerSecond / tf, 2)}× |${extra ? ` ${extra.cell(r)} |` : ''}`),
  ];
}

export function browserSection(b) {
  const m = b.meta, r = b.result;
  const tf4 = r.W4.find((x) => x.contender === 'tfjs-wasm');
  return [
    BEGIN,
    '## In the browser (headless Chromium)',
    '',
    'Written by `npm run bench:browser` (`bench/browser.mjs`, the page `bench/browser/`): a Vite production build of the page, served from 127.0.0.1 with COOP `same-origin` and COEP `require-corp` (cross-origin isolated, so both libraries may use threads), in Debian\'s Chromium driven by playwright-core. All contenders run in the same page; each workload times them in interleaved rounds (the order alternating) after an untimed op, and reports the median over the rounds.',
    '',
    '| | |',
    '|---|---|',
    `| date | ${m.date} |`,
    `| CPU | ${m.cpu}, ${m.cores} cores; the page saw ${r.cores} (navigator.hardwareConcurrency) |`,
    `| browser | ${r.userAgent} |`,
    `| commit | ${m.commit} |`,
    `| simdnet | ${r.simdnet.map((i) => `${i.threads} thread${i.threads > 1 ? 's' : ''}: ${i.simd}`).join('; ')} (the page is ${r.isolated ? '' : 'not '}cross-origin isolated) |`,
    `| TF.js | ${m.tfjs} wasm backend: SIMD ${r.tfjs.simd}, threads ${r.tfjs.threads} (\`setThreadsCount(2)\`) |`,
    `| rounds | ${r.rounds} per workload |`,
    '',
    '### W1 784→128 ReLU→10 softmax, SGD lr 0.01, batch 64 — training',
    '',
    ...trainingTable(r.W1, 'samples/s'),
    '',
    '### W2 1024→1024 ReLU→1024 ReLU→10 softmax, SGD, batch 128 — training',
    '',
    ...trainingTable(r.W2, 'samples/s', { title: 'GFLOP/s', cell: (x) => fmt(x.gflops, 1) }),
    '',
    '### W4 W1\'s model — inference',
    '',
    '| contender | batch 1, µs per call | × TF.js wasm | batch 256, rows/s | × TF.js wasm |',
    '|---|---:|---:|---:|---:|',
    ...r.W4.map((x) => `| ${LABEL[x.contender]} | ${fmt(x.batch1Microseconds, 1)} | ${fmt(tf4.batch1Microseconds / x.batch1Microseconds, 1)}× | ${fmt(x.batch256RowsPerSecond)} | ${fmt(x.batch256RowsPerSecond / tf4.batch256RowsPerSecond, 2)}× |`),
    '',
    'Batch 1 is timed over 2,000 calls per round (64 distinct rows in turn) and divided: the browser\'s clock is coarse (5 µs on an isolated page). Rows per op: W1 4,096 for simdnet and 1,024 for TF.js, W2 512 and 256; samples/s stays comparable.',
    END,
  ].join('\n');
}

/** `markdown` with its browser section replaced by (or, if it has none, followed by) `section`. */
export function withBrowserSection(markdown, section) {
  const begin = markdown.indexOf(BEGIN), end = markdown.indexOf(END);
  if (begin >= 0 && end > begin) return markdown.slice(0, begin) + section + markdown.slice(end + END.length);
  return markdown.replace(/\n*$/, '\n\n') + section + '\n';
}

/** The section of the last browser run, from bench/browser-results.json, or '' when there is none. */
export function savedBrowserSection(dir) {
  const file = join(dir, 'browser-results.json');
  return existsSync(file) ? browserSection(JSON.parse(readFileSync(file, 'utf8'))) : '';
}
