// Large dense products shared with worker threads: the parts are disjoint row ranges
// summed in the same order as on one thread, so training and prediction must give
// bit-identical results for any thread count, on shapes whose rows and widths cut
// into uneven parts and vector tails.

import { describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { Dense, InputError, Sequential } from '../src/index.js';
import { Rng } from './helpers/kernel-harness.js';

type Shape = { inputs: number; hidden: number; outputs: number; rows: number; batch: number };

// Each product is above the ~4M multiply-add threshold, so every one is shared; 70 rows
// and widths 300/257 make parts of unequal size with 1–3 column tails.
const SHAPES: [string, Shape][] = [
  ['256→256→10, batch 64', { inputs: 256, hidden: 256, outputs: 10, rows: 192, batch: 64 }],
  ['300→257→3, batch 70', { inputs: 300, hidden: 257, outputs: 3, rows: 150, batch: 70 }],
  ['1024→130→5, batch 33', { inputs: 1024, hidden: 130, outputs: 5, rows: 99, batch: 33 }],
];

async function trained(shape: Shape, threads: number, x: Float32Array, labels: number[]) {
  const model = await Sequential.create(
    [new Dense(shape.inputs, shape.hidden, { activation: 'relu' }), new Dense(shape.hidden, shape.outputs, { activation: 'softmax' })],
    { loss: 'crossEntropy', optimizer: { type: 'sgd', lr: 0.05 }, seed: 11, backend: 'wasm', threads },
  );
  const input = { data: x, shape: [shape.rows, shape.inputs] };
  const history = await model.fit(input, labels, { epochs: 2, batchSize: shape.batch });
  const out = { info: model.backendInfo(), weights: model.getWeights(), history, predictions: model.predict(input).data };
  model.dispose();
  return out;
}

/** Bit-identical arrays; on failure, names the first difference (a full diff of 65k floats would take minutes). */
function expectIdentical(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  let at = -1;
  for (let i = 0; i < want.length && at < 0; i++) if (!Object.is(got[i], want[i])) at = i;
  expect(at, at < 0 ? label : `${label}: first difference at [${at}]: ${got[at]} vs ${want[at]}`).toBe(-1);
}

describe.each(SHAPES)('threads on %s', (_name, shape) => {
  it('2 and 3 threads train and predict bit-identically to 1', async () => {
    const rng = new Rng(shape.inputs + shape.rows);
    const x = Float32Array.from({ length: shape.rows * shape.inputs }, () => rng.uniform(-1, 1));
    const labels = Array.from({ length: shape.rows }, () => rng.int(0, shape.outputs));
    const one = await trained(shape, 1, x, labels);
    for (const threads of [2, 3]) {
      const many = await trained(shape, threads, x, labels);
      expect(many.info.threads).toBe(threads);
      many.weights.forEach((w, i) => expectIdentical(w, one.weights[i], `weights[${i}] with ${threads} threads`));
      expect(many.history).toEqual(one.history);
      expectIdentical(many.predictions, one.predictions, `predictions with ${threads} threads`);
    }
  });
});

describe('the threads option', () => {
  const layers = () => [new Dense(4, 3, { activation: 'softmax' })];

  it.each([0, -1, 1.5, '2', 65])('rejects %s with a named error', async (threads) => {
    const created = Sequential.create(layers(), { loss: 'crossEntropy', threads: threads as number });
    await expect(created).rejects.toThrow(InputError);
    await expect(Sequential.create(layers(), { loss: 'crossEntropy', threads: threads as number })).rejects.toThrow(/^threads: expected an integer from 1 to 64, got/);
  });

  it('is refused with the JS backend, which runs on one thread', async () => {
    await expect(Sequential.create(layers(), { loss: 'crossEntropy', backend: 'js', threads: 2 })).rejects.toThrow(/^threads: expected 1 with the JS backend, got 2/);
  });

  it('defaults to 1, and dispose() ends the workers', async () => {
    const single = await Sequential.create(layers(), { loss: 'crossEntropy', backend: 'wasm' });
    expect(single.backendInfo().threads).toBe(1);
    single.dispose();
    const model = await Sequential.create(layers(), { loss: 'crossEntropy', backend: 'wasm', threads: 2 });
    const kernels = (model as unknown as { engine: Engine }).engine.kernels;
    expect(kernels.threads).toBe(2);
    model.dispose();
    expect(kernels.threads).toBe(1);
  });
});
