// The ordering behind examples/vanishing-gradient.mjs (whose four networks are built the
// same way here): at initialization, a 10-layer sigmoid MLP with Glorot initialization
// passes back to its first hidden layer a gradient millions of times smaller than its
// last hidden layer's, and ReLU + He, batch normalization or residual blocks do not.
// No training is needed for that: the norms are measured at initialization, by
// model.gradientNorms on one fixed batch (the first 256 rows of the digits' training
// split, standardized), on the JS backend with seed 1. It takes well under a second.
//
// What the thresholds rest on: ‖g₁‖ / ‖g₁₀‖ (first over last hidden layer) measured over
// seeds 1–10 (identical on the JS and WASM backends to the printed digits):
//   sigmoid, Glorot        2.76e-6 … 9.02e-6
//   ReLU, He               0.440 … 1.31
//   sigmoid + batch norm   0.994 … 1.58
//   sigmoid + residual     0.141 … 0.274
//   smallest remedy / sigmoid, per seed: 2.78e4 … 6.52e4
// and, as a check of the tails, over seeds 11–100: sigmoid 1.90e-6 … 1.29e-5, ReLU ≥ 0.275,
// batch norm ≥ 0.854, residual ≥ 0.0956, smallest remedy / sigmoid ≥ 1.39e4.
// So the sigmoid ratio must be < 1e-4 (11× above the worst of seeds 1–10, 7.7× above that
// of 1–100), each remedy's > 0.02 (7× below the lowest of seeds 1–10, 4.8× below that of
// 1–100), and every remedy's at least 1e3 times the sigmoid's (28× below the smallest gap
// of seeds 1–10, 14× below that of 1–100). A change of seed, of kernel rounding or of
// summation order moves these ratios by tens of percent; only a real change to the
// gradients (a wrong derivative, a skip that does not add, batch norm not normalizing)
// can move them by the margins.
import { describe, expect, it } from 'vitest';
import { Activation, BatchNorm, Dense, type Layer, Residual, Sequential } from '../src/index.js';
import { loadDataset, standardizer, takeRows } from '../src/node/datasets.js';

const DEPTH = 10, WIDTH = 32, FEATURES = 64, PROBE = 256, SEED = 1;
const SIGMOID_AT_MOST = 1e-4, REMEDY_AT_LEAST = 0.02, GAP_AT_LEAST = 1e3;

type Hidden = (inputs: number, k: number) => Layer[];
const VARIANTS: Record<string, Hidden> = {
  'sigmoid, Glorot': (inputs) => [new Dense(inputs, WIDTH, { activation: 'sigmoid', init: 'glorotUniform' })],
  'ReLU, He': (inputs) => [new Dense(inputs, WIDTH, { activation: 'relu', init: 'heNormal' })],
  'sigmoid + batch norm': (inputs) => [new Dense(inputs, WIDTH, { init: 'glorotUniform' }), new BatchNorm(), new Activation('sigmoid')],
  'sigmoid + residual': (inputs, k) => {
    const dense = new Dense(inputs, WIDTH, { activation: 'sigmoid', init: 'glorotUniform' });
    return [k === 0 ? dense : new Residual([dense])];
  },
};

const digits = loadDataset('digits');
const train = takeRows(digits.x, digits.y, digits.train);
const x = standardizer(train.x).apply(train.x);
const probe = { x: { data: x.data.slice(0, PROBE * FEATURES), shape: [PROBE, FEATURES] as [number, number] }, y: train.y.slice(0, PROBE) };

/** Each hidden layer's gradient norm at initialization: its Dense, or the residual block around it. */
async function hiddenNorms(hidden: Hidden): Promise<number[]> {
  const layers: Layer[] = [], at: number[] = [];
  for (let k = 0; k < DEPTH; k++) {
    at.push(layers.length);
    layers.push(...hidden(k === 0 ? FEATURES : WIDTH, k));
  }
  layers.push(new Dense(WIDTH, 10, { activation: 'softmax' }));
  const model = await Sequential.create(layers, { loss: 'crossEntropy', seed: SEED, backend: 'js' });
  try {
    const norms = new Map(model.gradientNorms(probe.x, probe.y).map((n) => [n.layer, n]));
    return at.map((i) => {
      const n = norms.get(i);
      expect(n?.type, `layer ${i}`).toBe(layers[i] instanceof Residual ? 'Residual' : 'Dense');
      return n!.norm;
    });
  } finally {
    model.dispose();
  }
}

describe('vanishing gradients at initialization (digits, 10 hidden layers of 32, JS backend, seed 1)', async () => {
  const ratios: Record<string, number> = {};
  for (const [name, hidden] of Object.entries(VARIANTS)) {
    const norms = await hiddenNorms(hidden);
    ratios[name] = norms[0] / norms[DEPTH - 1];
  }
  const [sigmoid, ...remedies] = Object.keys(VARIANTS);

  it('the deep sigmoid net’s first hidden layer gets a vanishing share of the gradient', () => {
    expect(ratios[sigmoid]).toBeGreaterThan(0);
    expect(ratios[sigmoid]).toBeLessThan(SIGMOID_AT_MOST);
  });

  it.each(remedies)('%s keeps the first hidden layer’s gradient within a factor of 50 of the last’s', (name) => {
    expect(ratios[name]).toBeGreaterThan(REMEDY_AT_LEAST);
  });

  it.each(remedies)('%s: its first/last ratio is at least 1000 times the deep sigmoid net’s', (name) => {
    expect(ratios[name] / ratios[sigmoid]).toBeGreaterThan(GAP_AT_LEAST);
  });
});
