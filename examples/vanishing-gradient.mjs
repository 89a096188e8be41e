// The lecture's vanishing-gradient slide on the handwritten digits: ten sigmoid layers
// with Glorot initialization pass back gradients that shrink about fourfold per layer
// (σ' ≤ 1/4), so the first layer learns almost nothing; ReLU with He initialization,
// batch normalization, or residual connections keep them the same order of magnitude.
//   npm run build && node examples/vanishing-gradient.mjs [--epochs 30] [--out docs/vanishing-gradient.svg] [--seed 1] [--backend auto]
import { mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Activation, BatchNorm, Dense, Residual, Sequential, lineChart } from 'simdnet';
import { loadDataset, standardizer, takeRows, writeFileAtomic } from 'simdnet/node';
// The chart writer is not one of the package's entry points yet; it is built beside them.

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '30' },
    out: { type: 'string', default: fileURLToPath(new URL('../docs/vanishing-gradient.svg', import.meta.url)) },
    seed: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'auto' },
  },
});
const epochs = Number(values.epochs), seed = Number(values.seed);
if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`--epochs: expected a whole number ≥ 0, got ${values.epochs}`);
if (!Number.isSafeInteger(seed)) throw new Error(`--seed: expected an integer, got ${values.seed}`);

const digits = loadDataset('digits');
const train = takeRows(digits.x, digits.y, digits.train);
const test = takeRows(digits.x, digits.y, digits.test);
const scale = standardizer(train.x);
const xTrain = scale.apply(train.x), xTest = scale.apply(test.x);

const DEPTH = 10, WIDTH = 32, FEATURES = 64, CLASSES = 10;
// The gradients are measured at initialization on one fixed batch: the first 256 rows
// of the training split, in the split's order.
const PROBE = 256;
const probe = { x: { data: xTrain.data.slice(0, PROBE * FEATURES), shape: [PROBE, FEATURES] }, y: train.y.slice(0, PROBE) };

// Every variant has ten hidden layers of 32 units and the same softmax output, and is
// trained with the same optimizer, epochs, batches and seeds. Each changes one thing:
const VARIANTS = [
  { name: 'sigmoid, Glorot', hidden: (inputs) => [new Dense(inputs, WIDTH, { activation: 'sigmoid', init: 'glorotUniform' })] },
  // (a) the activation and the initialization that suits it.
  { name: 'ReLU, He', hidden: (inputs) => [new Dense(inputs, WIDTH, { activation: 'relu', init: 'heNormal' })] },
  // (b) batch normalization between each hidden product and its sigmoid (where Ioffe and
  //     Szegedy put it), so each sigmoid starts on inputs of mean 0 and variance 1 over the
  //     batch, where its slope is largest. The norm shown is the Dense layer's, as for the
  //     others (its bias gradient is ≈ 0, since batch norm subtracts the mean); the batch
  //     norm layers' own γ and β are not counted.
  {
    name: 'sigmoid + batch norm',
    hidden: (inputs) => [new Dense(inputs, WIDTH, { init: 'glorotUniform' }), new BatchNorm(), new Activation('sigmoid')],
  },
  // (c) a skip around each hidden layer, y = x + σ(x·W + b), the layer itself unchanged:
  //     the same sigmoid, initialization and parameter count as the plain net, so the skip
  //     is the only difference. The first layer changes the width (64 → 32) and stays plain,
  //     since a projection on its skip would add weights the other variants do not have.
  //     Its norms grow toward the output: each block adds σ(·) ≈ 0.5 per unit to the skip
  //     path, so later layers get larger inputs; the point is that the first does not starve.
  {
    name: 'sigmoid + residual',
    hidden: (inputs, k) => {
      const dense = new Dense(inputs, WIDTH, { activation: 'sigmoid', init: 'glorotUniform' });
      return [k === 0 ? dense : new Residual([dense])];
    },
  },
];

/** The layers of a variant, and where each hidden layer's weights sit among them. */
function build(variant) {
  const layers = [], hiddenAt = [];
  for (let k = 0; k < DEPTH; k++) {
    const group = variant.hidden(k === 0 ? FEATURES : WIDTH, k);
    hiddenAt.push(layers.length); // the group's first layer holds its Dense (or the block around it)
    layers.push(...group);
  }
  layers.push(new Dense(WIDTH, CLASSES, { activation: 'softmax' }));
  return { layers, hiddenAt };
}

// Adam at its usual rate trains all four without tuning each: with SGD, a rate that
// suits batch norm makes the ReLU net diverge. It is also the harder test for the point
// made here, since Adam divides each weight's step by the size of its own gradient.
const optimizer = { type: 'adam', lr: 1e-3 };
const batchSize = 32;

const rows = [];
let backend = '';
const started = performance.now();
for (const variant of VARIANTS) {
  const { layers, hiddenAt } = build(variant);
  const model = await Sequential.create(layers, { loss: 'crossEntropy', optimizer, seed, backend: values.backend });
  backend = model.backendInfo().backend;
  const byLayer = new Map(model.gradientNorms(probe.x, probe.y).map((n) => [n.layer, n.norm]));
  const norms = hiddenAt.map((i) => byLayer.get(i));
  const t0 = performance.now();
  await model.fit(xTrain, train.y, { epochs, batchSize, seed });
  const seconds = (performance.now() - t0) / 1000;
  const { accuracy } = model.evaluate(xTest, test.y);
  rows.push({ name: variant.name, norms, ratio: norms[0] / norms[DEPTH - 1], accuracy, seconds });
  model.dispose();
}

console.log(`digits: ${train.y.length} training rows, ${test.y.length} test rows; ${DEPTH} hidden layers of ${WIDTH} units, softmax output`);
console.log(`gradient norms ‖∂L/∂θ‖₂ of each hidden layer at initialization, on the first ${PROBE} training rows (one batch)`);
console.log(`training: Adam (lr ${optimizer.lr}), batch ${batchSize}, ${epochs} epochs, seed ${seed}, ${backend} backend\n`);
const header = ['variant', '‖g₁‖', '‖g₁₀‖', '‖g₁‖ / ‖g₁₀‖', 'test accuracy', 'training'];
const table = rows.map((r) => [
  r.name,
  r.norms[0].toExponential(2),
  r.norms[DEPTH - 1].toExponential(2),
  r.ratio.toExponential(2),
  `${(r.accuracy * 100).toFixed(1)} %`,
  `${r.seconds.toFixed(2)} s`,
]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
const line = (cells) => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('   ');
console.log(line(header));
for (const r of table) console.log(line(r));

const svg = lineChart({
  title: `Gradient norm per hidden layer at initialization (digits, ${DEPTH} × ${WIDTH} units)`,
  xLabel: 'hidden layer (1 = next to the input)',
  yLabel: '‖∂L/∂θ‖₂ of the layer (log scale)',
  logY: true,
  width: 720,
  height: 420,
  series: rows.map((r) => ({ name: r.name, points: r.norms.map((n, k) => [k + 1, n]) })),
});
const out = resolve(values.out);
mkdirSync(dirname(out), { recursive: true });
await writeFileAtomic(out, svg);
const shown = relative(process.cwd(), out);
console.log(`\nchart: ${shown.startsWith('..') ? out : shown} (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
