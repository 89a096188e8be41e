// W2: wide layers, where the products dominate and GFLOP/s shows how close to the SIMD ceiling we run.
import { classification } from '../data.mjs';
import { runTraining } from './training.mjs';

const SIZES = [1024, 1024, 1024, 10];
const PRODUCTS = SIZES.slice(1).map((out, i) => SIZES[i] * out);

/**
 * Useful flops per training sample: 2·in·out forward, 2·in·out for dW, 2·in·out for
 * dX on every layer but the first (nobody needs the gradient of the input data;
 * simdnet skips it). Bias, activation and update flops are not counted.
 */
export const FLOPS_PER_SAMPLE = PRODUCTS.reduce((sum, p, i) => sum + (i === 0 ? 4 : 6) * p, 0);
export const FLOPS_FORMULA = '6·Σ(in·out) − 2·in₁·out₁ = 2·Σ(in·out) forward + 2·Σ(in·out) dW + 2·Σ(in·out) dX over layers 2…n (the first layer\'s dX is not counted)';

/** The slow contenders run fewer rows per op; rows/s stays comparable. */
const ROWS = { 'simdnet-wasm': 2048, 'simdnet-wasm-adam': 2048, 'simdnet-wasm-2t': 2048, 'jax-js': 2048, 'tfjs-wasm': 512, 'tfjs-wasm-adam': 512, 'simdnet-js': 256, 'tfjs-cpu': 128, 'brain.js': 128 };

export const w2 = {
  id: 'W2',
  suite: 'W2 1024-1024-1024-10 training',
  title: 'MLP 1024→1024 ReLU→1024 ReLU→10 softmax, cross-entropy, SGD lr 0.01, batch 128 — training',
  unit: 'samples/s',
  spec: {
    inputs: 1024,
    layers: [{ units: 1024, activation: 'relu' }, { units: 1024, activation: 'relu' }, { units: 10, activation: 'softmax' }],
    loss: 'crossEntropy',
    lr: 0.01,
    batchSize: 128,
  },
  data: (quick) => classification(quick ? 8 : 2048, 1024, 10, 202),
  rows: (id, quick) => (quick ? 8 : ROWS[id] ?? 2048),
  // Slow epochs: stop at the minimum of five samples.
  maxTime: 0,
  run: (contenders, opts) => runTraining(w2, contenders, opts),
};
