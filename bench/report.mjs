// Turns one run's results into bench/RESULTS.md, bench/results.json and bench/results.svg.
import { writeFileSync } from 'node:fs';
import { savedBrowserSection, withBrowserSection } from './browser-report.mjs';
import { join } from 'node:path';
import { chartSvg } from './chart.mjs';

const LABEL = { 'simdnet-wasm': 'simdnet wasm', 'simdnet-wasm-2t': 'simdnet wasm, 2 threads', 'simdnet-js': 'simdnet js', 'tfjs-wasm': 'TF.js wasm', 'tfjs-wasm-adam': 'TF.js wasm, Adam', 'tfjs-cpu': 'TF.js cpu', 'brain.js': 'brain.js', 'jax-js': 'jax-js wasm' };

export function formatValue(v, unit) {
  if (unit === 'µs') return v.toFixed(v < 100 ? 1 : 0);
  if (v >= 100) return Math.round(v).toLocaleString('en');
  return v.toFixed(v >= 10 ? 1 : 2);
}

export function formatRatio(r) {
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}

const find = (results, table, contender) => results.tables.find((t) => t.id === table)?.rows.find((r) => r.contender === contender);

/** A share or a cost as a percentage. */
const percent = (v) => `${(100 * v).toFixed(1)} %`;

/** A cost from suite.mjs: the interleaved rounds' median (range; CPU time), and the same from the table's rows. */
function costShown(c) {
  if (!c) return 'n/a';
  if (!c.rounds) return `${percent(c.wall)} (from the table's medians)`;
  const range = c.wallRange ? `${percent(c.wallRange[0])} to ${percent(c.wallRange[1])}, ` : '';
  return `${percent(c.wall)} (${c.rounds} interleaved rounds: ${range}CPU time ${c.cpu === null ? 'n/a' : percent(c.cpu)}; from the table's medians: ${percent(c.fromRows)})`;
}

/** The issue's targets, each with what this run measured. */
function targets(results) {
  return [...issue3Targets(results), ...w5Targets(results)];
}

function issue3Targets(results) {
  const row = (table, contender) => find(results, table, contender);
  const ratio = (table, a, b) => {
    const x = row(table, a), y = row(table, b);
    return results.tables.find((t) => t.id === table).higherIsBetter ? x.median / y.median : y.median / x.median;
  };
  const list = [
    ['W2 simdnet-wasm ≥ 35 GFLOP/s', row('W2', 'simdnet-wasm').gflops.median, 35, (v) => `${v.toFixed(1)} GFLOP/s`],
    ['W1 simdnet-wasm ≥ 5× TF.js wasm', ratio('W1', 'simdnet-wasm', 'tfjs-wasm'), 5, formatRatio],
    ['W4 batch-1 latency ≤ 8 µs', row('W4 batch 1', 'simdnet-wasm').median, 8, (v) => `${v.toFixed(1)} µs`, true],
    ['W4 batch 256 ≥ 2× TF.js wasm', ratio('W4 batch 256', 'simdnet-wasm', 'tfjs-wasm'), 2, formatRatio],
    ['W3 ≥ 20 million steps/s', row('W3', 'simdnet-wasm').median, 20e6, (v) => `${(v / 1e6).toFixed(2)} M steps/s`],
    ['W3 ≥ 10× brain.js', ratio('W3', 'simdnet-wasm', 'brain.js'), 10, formatRatio],
    ['W1 simdnet-js ≥ 2× TF.js cpu', ratio('W1', 'simdnet-js', 'tfjs-cpu'), 2, formatRatio],
    ['W2 simdnet-wasm ≥ 20× simdnet-js (one thread)', ratio('W2', 'simdnet-wasm', 'simdnet-js'), 20, formatRatio],
    ['W2 simdnet-wasm ≥ 20× simdnet-js (2 threads)', ratio('W2', 'simdnet-wasm-2t', 'simdnet-js'), 20, formatRatio],
  ];
  return list.map(([name, value, goal, fmt, atMost]) => ({ group: 'issue 3', name, value, goal, shown: fmt(value), met: atMost ? value <= goal : value >= goal }));
}

/**
 * W5's, Adam's and the schedules' targets. `within` goals hold |value| ≤ goal; rows without a
 * goal (the shares of the f32x4 ceiling) are reported, not judged.
 */
function w5Targets(results) {
  const x = find(results, 'W5', 'simdnet-wasm'), y = find(results, 'W5', 'tfjs-wasm');
  const c = results.costs ?? {};
  const ceiling = (v) => (v ? percent(v) : 'n/a');
  const list = [
    ['W5 simdnet-wasm ≥ 10× TF.js wasm', x && y ? x.median / y.median : null, 10, 'atLeast', formatRatio],
    ['W5 share of a step outside its dense products (simdnet-wasm, one thread) ≤ 25 %', c.w5NonDenseShare?.wall ?? null, 0.25, 'atMost', () => costShown(c.w5NonDenseShare)],
    ['Adam cost on W2, t(Adam)/t(SGD) − 1 (simdnet-wasm) ≤ 5 %', c.w2AdamCost?.wall ?? null, 0.05, 'atMost', () => costShown(c.w2AdamCost)],
    ['W3 with a cosine schedule within 10 % of no schedule (timed after the decay)', c.w3ScheduleCost?.wall ?? null, 0.1, 'within', () => costShown(c.w3ScheduleCost)],
    ['W3 with a cosine schedule within 10 % of no schedule (timed mid-decay)', c.w3ScheduleMidDecayCost?.wall ?? null, 0.1, 'within', () => costShown(c.w3ScheduleMidDecayCost)],
    ['W2 simdnet-wasm (one thread) as a fraction of the plain f32x4 ceiling', results.ceiling?.w2SimdnetWasmOfPlain ?? null, null, null, ceiling],
    ['W5 simdnet-wasm (one thread) as a fraction of the plain f32x4 ceiling', results.ceiling?.w5SimdnetWasmOfPlain ?? null, null, null, ceiling],
  ];
  return list.map(([name, value, goal, kind, fmt]) => {
    const met = value === null || goal === null ? null : kind === 'atLeast' ? value >= goal : kind === 'atMost' ? value <= goal : Math.abs(value) <= goal;
    return { group: 'W5, Adam and schedules', name, value, goal, shown: value === null ? 'n/a' : fmt(value), met };
  });
}

const metCell = (met) => (met === null ? '— (no goal)' : met ? 'yes' : '**no**');

function tableMarkdown(t, meta) {
  const w2 = t.id === 'W2', w3 = t.id === 'W3', w5 = t.id === 'W5', b1 = t.id === 'W4 batch 1';
  const flops = t.rows.some((r) => r.gflops);
  const costs = meta.costs ?? {};
  const head = [
    'contender', `median ${t.unit}`, 'min', 'max',
    flops ? 'GFLOP/s (median, min–max)' : null,
    flops ? 'of plain ceiling × threads' : null,
    b1 ? null : `${t.unit.replace('/s', '')} per CPU-second`,
    b1 ? 'calls × reps' : 'rows/op × reps',
    b1 ? 'benny mean µs/call' : null,
    '× simdnet wasm', 'vs its peer',
    w3 ? 'XOR learned in 20,000 steps' : null,
  ].filter(Boolean);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of t.rows) {
    const perOp = b1 ? `${r.calls.calls.toLocaleString('en')} × ${r.n}` : `${r.unitsPerOp.toLocaleString('en')} × ${r.n}`;
    const cells = [
      r.label,
      `**${formatValue(r.median, t.unit)}**`,
      formatValue(r.min, t.unit),
      formatValue(r.max, t.unit),
      flops ? `${r.gflops.median.toFixed(2)} (${r.gflops.min.toFixed(2)}–${r.gflops.max.toFixed(2)})` : null,
      flops ? (r.ofPlainCeiling ? `${(100 * r.ofPlainCeiling).toFixed(r.ofPlainCeiling < 0.1 ? 1 : 0)}%` : 'n/a') : null,
      b1 ? null : formatValue(r.perCpuSecond, t.unit),
      perOp,
      b1 ? formatValue(r.bennyMeanMedian, 'µs') : null,
      formatRatio(r.vsWasm),
      r.peer ? `${formatRatio(r.vsPeer)} ${LABEL[r.peer]}` : '—',
      w3 ? (r.check.learned ? 'yes' : '**no**') + ` (${r.check.outputs.map((o) => o.toFixed(2)).join(', ')})` : null,
    ].filter((c) => c !== null);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const notes = t.rows.filter((r) => r.notes.length).map((r) => `- ${r.label}: ${r.notes.join('; ')}.`);
  if (flops) notes.push(`- Of plain ceiling × threads: the median GFLOP/s over the plain f32x4 ceiling measured just before this table (see "f32x4 ceiling" above) times the threads the contender's products run on (2 for "2 threads", else 1).`);
  if (w2) notes.push(`- GFLOP/s = samples/s × ${(meta.flopsPerSampleW2 / 1e6).toFixed(4)} MFLOP per sample: ${meta.flopsFormula}. The same useful-work count is used for every contender (brain.js also computes the first layer's dX).`);
  if (w5) notes.push(`- GFLOP/s = samples/s × ${(meta.flopsPerSampleW5 / 1e6).toFixed(4)} MFLOP per sample: W2's count over W5's ten Dense layers (stem 784·256, eight blocks 256·256, head 256·10; 2·in·out forward and 2·in·out dW each, 2·in·out dX on all but the stem). BatchNorm, dropout, the skips' additions, softmax and Adam are not counted, so the figure is the dense products' rate and every contender gets the same count.`);
  if (w5) notes.push(`- **Share of a W5 step outside its dense products** (simdnet-wasm, one thread): ${costShown(costs.w5NonDenseShare)} = 1 − t(dense layers only)/t(W5) per sample. "Dense layers only" is W5 without its BatchNorm, Dropout and skips, trained with plain SGD instead of Adam: the time left over is what batch norm, dropout, the skips and Adam cost.`);
  if (w2) notes.push(`- **Adam's cost** (simdnet-wasm, one thread): t(Adam)/t(SGD) − 1 = ${costShown(costs.w2AdamCost)}, "simdnet wasm, Adam" against "simdnet wasm".`);
  if (t.id === 'W1') notes.push(`- Adam's cost here (simdnet-wasm, one thread): t(Adam)/t(SGD) − 1 = ${costShown(costs.w1AdamCost)}.`);
  if (w3) notes.push(`- **Cost of the cosine schedule** (simdnet-wasm, one thread): t(schedule)/t(no schedule) − 1 = ${costShown(costs.w3ScheduleCost)} timed after the decay (which spans the checked warm-up run), ${costShown(costs.w3ScheduleMidDecayCost)} timed mid-decay.`);
  if (b1) notes.push(`- Latency: each repetition times ${t.rows[0].calls.calls.toLocaleString('en')} single predict calls (process.hrtime, ~0.1 µs overhead included) and takes their median; median, min and max are over the repetitions' medians. "benny mean" is benny's median over its samples, each the mean time of all calls in a cycle, so it also carries GC pauses and preemption.`);
  if (w3) notes.push('- XOR learned: after the warm-up run of exactly 20,000 per-sample steps from a fresh model, each of the four outputs is on the right side of 0.5 (outputs listed for 00, 01, 10, 11).');
  return [`## ${t.id}: ${t.title}`, '', ...lines, '', ...notes].join('\n');
}

function memoryMarkdown(memory) {
  if (!memory.length) return '';
  const lines = [
    '## Memory (simdnet wasm)',
    '',
    'Each model built and trained for one epoch over its workload\'s rows, alone in a fresh Node process (`node bench/memory.mjs W1|W2`), so the RSS is that model plus Node and simdnet. Linear memory is the model\'s `WebAssembly.Memory` (`engine.kernels.heap.byteLength`): parameters, gradients, activations, programs and the resident training rows.',
    '',
    '| workload | rows trained | input data (MiB) | linear memory built (MiB) | linear memory trained (MiB) | RSS before model (MiB) | RSS built (MiB) | RSS trained (MiB) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const m of memory) {
    lines.push(`| ${m.workload} | ${m.trainedRows.toLocaleString('en')} | ${m.inputMiB} | ${m.heapMiBBuilt ?? 'n/a'} | ${m.heapMiBTrained ?? 'n/a'} | ${m.rssMiBBeforeModel} | ${m.rssMiBBuilt} | ${m.rssMiBTrained} |`);
  }
  return lines.join('\n');
}

export function resultsMarkdown(results) {
  const m = results.meta;
  const tf = m.contenders.find((c) => c.id === 'tfjs-wasm')?.wasmBinary;
  const goals = targets(results);
  return [
    '# simdnet benchmark results',
    '',
    `Written by \`npm run bench\` (\`bench/run.mjs\`); rerun it rather than editing this file. Every contender ran in the same process, one workload after another, so the ratios within a table are comparable.`,
    '',
    '| | |',
    '|---|---|',
    `| date | ${m.date} |`,
    `| CPU | ${m.cpu}, ${m.cores} cores (os.cpus()); ${m.memoryGiB} GiB RAM |`,
    `| system | ${m.platform} |`,
    `| Node | ${m.node} (V8 ${m.v8}) |`,
    `| simdnet commit | ${m.commit} |`,
    `| load average at start | ${m.loadAverage.join(', ')} (shared machine: expect noise) |`,
    `| latency probe (bench/probe.mjs) | ${probeLine(m.latencyProbes)} |`,
    `| run time | ${m.durationSeconds} s (benchmark only; \`npm run bench\` also builds first) |`,
    `| f32x4 ceiling (bench/ceiling.mjs) | ${ceilingLine(results.ceiling)} |`,
    `| jax-js | ${jaxjsLine(m.contenders.find((c) => c.id === 'jax-js'))} |`,
    `| TF.js wasm binary | ${tf ? `${tf.instantiated} (observed instantiating; SIMD detected: ${tf.simdDetected}, threads detected: ${tf.threadsDetected})` : 'n/a'} |`,
    '',
    '![Speed relative to simdnet-wasm](results.svg)',
    '',
    '## Targets of issue 3',
    '',
    '| target | this run | met |',
    '|---|---:|:---:|',
    ...goals.filter((g) => g.group === 'issue 3').map((g) => `| ${g.name} | ${g.shown} | ${metCell(g.met)} |`),
    '',
    '## Targets: W5, Adam and schedules',
    '',
    "Costs and shares compare two rows of one table: the figure is the median over rounds that each time one op of both rows back to back, on the same models, right after the table's suite (see Method); in brackets the rounds' range, the same median in CPU time, and the ratio of the two rows' medians as the table shows them (timed one after the other, so a slow stretch of the machine can fall on one row only).",
    '',
    '| target | this run | met |',
    '|---|---:|:---:|',
    ...goals.filter((g) => g.group !== 'issue 3').map((g) => `| ${g.name} | ${g.shown} | ${metCell(g.met)} |`),
    '',
    ...results.tables.flatMap((t) => [tableMarkdown(t, { ...m, costs: results.costs }), '']),
    memoryMarkdown(results.memory),
    '',
    '## Method',
    '',
    '- Harness: benny 3.7.1 (Benchmark.js), one suite per workload, one case per contender. Before its suite each contender builds its model and runs one untimed warm-up op; benny then takes ≥ 5 samples per case. A sample is the mean time of the ops in one Benchmark.js cycle (one op when an op lasts ≥ 50 ms); median, min and max are over those samples, converted to the unit shown. Raw benny output: `bench/benny/*.json`.',
    '- Training op: one epoch over the rows shown ("rows/op"), shuffled, through each library\'s own `fit`/`train`. The slow contenders run fewer rows per op in W2 and W5 (and TF.js in W3 times 2,000-step ops after its 20,000-step warm-up); rows/s is comparable across them. W5\'s rows per op are sized so that an op takes about 1–3 s on each contender (the table\'s "rows/op"). W3\'s data is the four XOR rows repeated 5,000 times, so an op is one epoch of per-sample steps rather than 5,000 four-row epochs.',
    '- Inference: W4 batch 1 calls predict on one row (cycling over 64 rows), timed per call (see its notes) and through benny; batch 256 is one predict of 256 rows through benny. TF.js: `tf.tidy(() => model.predict(tf.tensor2d(x)).dataSync())`; simdnet: `model.predict({ data, shape })`; brain.js: `run()` per row.',
    "- Per CPU-second: each op's process CPU time (user + system, `process.cpuUsage`), median over all ops run. On this shared machine a preempted op grows on the wall clock but not in CPU time, so when the wall-clock medians wobble this column is the steadier one (it includes V8's GC helper threads).",
    '- Ratios compare medians. "× simdnet wasm" is speed relative to simdnet-wasm; "vs its peer" compares simdnet-wasm (one thread or two) with TF.js wasm (with brain.js in W3, the fastest peer there) and simdnet-js with TF.js cpu. Above 1× means faster (for latency: lower µs).',
    '- "simdnet wasm, 2 threads" is the same model with `threads: 2`: products of ≥ 4M multiply-adds are split by output rows between the main thread and one worker thread (worker_threads over a shared `WebAssembly.Memory`); smaller ones, and everything else, run on the main thread, so W3 and W4 batch 1 run as with one thread. TF.js here runs its single-threaded SIMD binary; the per-core targets use the one-thread row.',
    '- Data: seeded synthetic (mulberry32). W1/W2/W4 rows are uniform in [0, 1), labelled by the argmax of a fixed random projection. Same rows for every contender; weight initialisation is each library\'s own.',
    "- W5: a linear Dense 784→256 stem, eight residual blocks h ← h + Dropout₀.₁(ReLU(BatchNorm(Dense₂₅₆(h)))) with identity skips, a Dense 256→10 softmax head; cross-entropy, Adam (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7, ε added to √v̂ as TF.js, optax and PyTorch do), batch 128; BatchNorm momentum 0.99 and ε 1e-3 (Keras' defaults), batch statistics in training. simdnet: `Dense`, `Residual([Dense, BatchNorm({ momentum, epsilon }), Activation('relu'), Dropout(0.1)])`, `Dense` with `optimizer: { type: 'adam', … }`; TF.js: the same graph in `tf.model` (functional API: `dense`, `batchNormalization`, `activation`, `dropout`, `add`) with `tf.train.adam`; jax-js: BatchNorm, dropout and Adam written on its arrays in one jit-compiled step (`bench/workloads/w5-peers.mjs`). simdnet-js runs W5 too: an op of 384 rows takes about 1.7 s. W5 runs last, after a latency probe and a fresh reading of the plain f32x4 ceiling.",
    '- Costs and shares (non-dense share, Adam, schedules): after a table\'s benny suite, and before its models are disposed, each pair of rows compared (a variant and its reference, both simdnet-wasm on one thread) is timed again in rounds: each round times one op of each, back to back, the order alternating between rounds (W1 15 rounds, W2 7, W3 101, W5 7). The per-round ratio t(variant)/t(reference) per sample is robust to the shared machine\'s slow stretches, which can last longer than a benny case and so fall on one row of a table only; the figure is its median over the rounds (in CPU time alongside). The ratio of the two rows\' medians in the table is shown next to it.',
    '- Non-dense share of W5: \"simdnet wasm, dense layers only\" is W5\'s ten Dense layers with the same widths, batch and rows per op — the stem linear, each block reduced to its Dense with the ReLU fused into it, the softmax head — without BatchNorm, Dropout or skips, trained with plain SGD. Share = 1 − t(dense only)/t(W5), t the seconds per sample: the part of a W5 step spent in batch norm, dropout, the skips and Adam.',
    '- Adam on W1 and W2: \"simdnet wasm, Adam\" and \"TF.js wasm, Adam\" are the same models with W5\'s Adam (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7; `tf.train.adam(1e-3, 0.9, 0.999, 1e-7)`) in place of SGD, each timed right after its SGD row. Adam\'s cost = t(Adam)/t(SGD) − 1 of the two simdnet-wasm rows.',
    '- Schedules on W3: \"simdnet wasm, cosine schedule\" trains with `lr: cosineDecay({ lr: 0.5, steps: 20,000, floor: 0.05 })`: the decay spans the 20,000-step warm-up whose XOR result the table checks, so its timed ops (steps 20,000 onwards) run at the floor rate. fit still writes every step\'s rate into the table the kernels read, but the floor is a constant, so \"simdnet wasm, cosine mid-decay\" (`steps: 1e9`, every timed step inside the decay, the rates computed by cosineDecay\'s rotation) shows what a schedule costs while it decays. Both are timed right after simdnet-wasm without a schedule; cost = t(schedule)/t(none) − 1.',
    '- TF.js 4.22.0 layers: `tf.sequential` of `dense` layers, `tf.train.sgd(lr)` (or `tf.train.adam` in the Adam rows and W5), `categoricalCrossentropy` on softmax or `meanSquaredError`; cpu backend from `@tensorflow/tfjs-backend-cpu`, wasm backend from `@tensorflow/tfjs-backend-wasm` with `setWasmPaths` pointing at its `dist/` in node_modules. The binary named above is the one whose bytes were seen going into `WebAssembly.instantiate`.',
    `- jax-js ${m.contenders.find((c) => c.id === 'jax-js')?.version ?? ''} (\`@jax-js/jax\`, MIT) runs W1, W2 and W5 (W3 and W4 are not part of the issues that added it; nothing it lacks keeps it out). It has no layers API: the model is what a jax-js user writes — a parameter tree with Glorot-uniform weights, a cross-entropy on \`nn.logSoftmax\`, and one \`jit\`-compiled step holding \`valueAndGrad\` and the SGD update, which jax-js compiles to its own wasm kernels (SIMD; relaxed SIMD only where it validates, so not here without the flag). Each step gets a batch gathered in JS from a seeded shuffle and copied in, and its loss is read back: jax-js is lazy, and without a read per step the pending steps pile up. \`@jax-js/optax\` is not on the npm registry the bench installs from, so the SGD update (optax's \`sgd\`: p − lr·g) and W5's Adam are written on jax-js arrays. In Node 20 it runs one thread: it spreads kernels over Web Workers only where a global \`Worker\` exists.`,
    '- f32x4 ceiling: a WebAssembly function assembled in `bench/ceiling.mjs` keeps 12 independent v128 accumulators in registers and updates each with acc·a + b, four times per loop trip, with no memory access in the loop; plain SIMD as `f32x4.mul` + `f32x4.add`, relaxed as `f32x4.relaxed_madd`. A multiply-add counts 2 flops (8 per update). After a warm-up long enough for V8 to tier the function up, 7 calls of ~150 ms are timed; median, min and max over them. One thread: GFLOP/s per core. Node 20 validates relaxed SIMD only under `--experimental-wasm-relaxed-simd`, so without it the relaxed figure comes from a child process started with the flag. It is measured right before W2, between the latency probe and the workload, and the plain one once more right before W5 (the W5 table\'s shares use that reading).',
    '- brain.js 1.6.1 `NeuralNetwork` has one activation for all layers, no softmax or cross-entropy and no minibatches: its closest equivalent is run (sigmoid throughout, MSE on one-hot targets, per-sample SGD) as the notes under each table say. Its throughput is what it does, not the same arithmetic.',
    '',
  ].join('\n');
}

export function writeReports(results, dir) {
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...results, targets: targets(results) }, null, 2) + '\n');
  writeFileSync(join(dir, 'results.svg'), chartSvg(results, formatValue, formatRatio));
  // The browser run's section (npm run bench:browser) stays.
  const browser = savedBrowserSection(dir);
  writeFileSync(join(dir, 'RESULTS.md'), browser ? withBrowserSection(resultsMarkdown(results), browser) : resultsMarkdown(results));
}

/** Both f32x4 ceilings and W2's share of the plain one, one line. */
function ceilingLine(c) {
  if (!c) return 'not measured';
  const one = (v, name) => (v.error ? `${name}: not measured (${v.error})` : `${name} **${v.median.toFixed(1)} GFLOP/s** per core (${v.min.toFixed(1)}–${v.max.toFixed(1)}; ${v.op}, ${v.accumulators} accumulators, ${v.where})`);
  const share = c.w2SimdnetWasmOfPlain ? `; W2 simdnet-wasm (one thread) runs at ${(100 * c.w2SimdnetWasmOfPlain).toFixed(0)}% of the plain ceiling` : '';
  const w5 = c.plainBeforeW5 && !c.plainBeforeW5.error
    ? `; before W5, plain SIMD ${c.plainBeforeW5.median.toFixed(1)} GFLOP/s (${c.plainBeforeW5.min.toFixed(1)}–${c.plainBeforeW5.max.toFixed(1)})${c.w5SimdnetWasmOfPlain ? `, and W5 simdnet-wasm (one thread) runs at ${(100 * c.w5SimdnetWasmOfPlain).toFixed(0)}% of it` : ''}`
    : '';
  return `${one(c.plain, 'plain SIMD')}; ${one(c.relaxed, 'relaxed SIMD')}${share}${w5}`;
}

function jaxjsLine(info) {
  if (!info) return 'not run';
  return `@jax-js/jax ${info.version}, ${info.device} device, ${info.threads === 1 ? 'one thread' : info.threads}, relaxed SIMD ${info.relaxedSimd ? 'validates' : 'does not validate'} in this process; ${info.optimizers}`;
}

/** The latency probes, one line: each reading and how far the slowest is from the fastest. */
function probeLine(probes) {
  if (!probes?.length) return 'not taken';
  const values = probes.map((p) => p.nsPerStep);
  const readings = probes
    .map((p) => `${p.before === 'end' ? 'at the end' : `before ${p.before}`} ${p.nsPerStep} ns${p.waitedSeconds > 1 ? ` (after waiting ${p.waitedSeconds} s)` : ''}`)
    .join(', ');
  return `ns per step of a fixed 2→4→1 per-sample step: ${readings} (slowest/fastest ${(Math.max(...values) / Math.min(...values)).toFixed(2)}×). A reading well above the fastest marks a slow stretch of the machine (up to ~1.6× on the shared development host, for seconds to minutes). Before each workload the bench waits up to 2 minutes for the probe to read within 15% of its best; a stretch can still begin mid-workload.`;
}
