// W3: a tiny net trained one sample at a time, where per-step overhead is everything.
import { XOR_X, XOR_Y, xorTiled } from '../data.mjs';
import { runTraining } from './training.mjs';

export const XOR_STEPS = 20_000;

export const w3 = {
  id: 'W3',
  suite: 'W3 XOR 2-4-1 per-sample',
  title: `2→4→1 sigmoid, MSE, SGD lr 0.5, per-sample (batch 1) on XOR — ${XOR_STEPS.toLocaleString('en')} steps per op`,
  unit: 'steps/s',
  spec: {
    inputs: 2,
    layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }],
    loss: 'mse',
    lr: 0.5,
    batchSize: 1,
  },
  // The four rows repeated: one pass is a shuffled run of per-sample steps.
  data: (quick) => xorTiled(quick ? 400 : XOR_STEPS),
  // The warm-up is the 20,000-step run whose result is checked; TF.js then times shorter ops
  // (it runs ~1,000 steps/s here: five 20,000-step ops would take minutes).
  warmRows: (quick) => (quick ? 400 : XOR_STEPS),
  rows: (id, quick) => (quick ? 400 : id.startsWith('tfjs') ? 2_000 : XOR_STEPS),
  /** Runs right after the warm-up: a fresh model trained for exactly 20,000 steps. */
  check(model) {
    const outputs = Array.from(model.predict(Float32Array.from(XOR_X.flat()), 4));
    const learned = outputs.every((o, i) => (XOR_Y[i] === 1 ? o > 0.5 : o < 0.5));
    return { learned, outputs };
  },
  run: (contenders, opts) => runTraining(w3, contenders, opts),
};
