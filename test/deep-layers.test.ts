// The deep layers in whole models: gradients of batch normalization, dropout and
// residual blocks against finite differences on both backends, training versus
// inference behaviour, the fused narrow step standing aside for layers that cannot
// take part, and clear errors for bad definitions.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { Activation, BatchNorm, Dense, Dropout, InputError, Maxout, Residual, Sequential, gradCheck } from '../src/index.js';
import type { Layer } from '../src/layers/layer.js';
import { Op } from '../src/backend/ops.js';
import { Random } from '../src/random.js';

function data(rows: number, cols: number, classes: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new Random(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
  return { x, y: x.map((r) => Math.abs(Math.floor((r[0] + r[1]) * 1.5)) % classes) };
}

const engineOf = (m: Sequential) => (m as unknown as { engine: Engine }).engine;

interface Case {
  name: string;
  layers: () => Layer[];
}

// Each network has a smooth activation where a kink would sit under a finite difference.
const CASES: Case[] = [
  { name: 'Dense → BatchNorm → tanh → Dense', layers: () => [new Dense(5, 6), new BatchNorm(), new Activation('tanh'), new Dense(6, 3, { activation: 'softmax' })] },
  { name: 'a residual block (identity skip) with batch norm inside', layers: () => [new Dense(5, 4, { activation: 'tanh' }), new Residual([new Dense(4, 4), new BatchNorm(), new Activation('sigmoid')]), new Dense(4, 3, { activation: 'softmax' })] },
  { name: 'a residual block with a projection, first in the model', layers: () => [new Residual([new Dense(5, 7, { activation: 'elu' }), new Dense(7, 3)], { projection: true }), new Activation('tanh'), new Dense(3, 3, { activation: 'softmax' })] },
  { name: 'nested blocks, dropout and maxout', layers: () => [new Dense(5, 6, { activation: 'tanh' }), new Residual([new Dropout(0.3), new Residual([new Maxout(6, 6, { pieces: 2 }), new BatchNorm()])]), new Dense(6, 3, { activation: 'softmax' })] },
];

describe('backprop against finite differences (gradCheck: float64 copy, central differences)', () => {
  const { x, y } = data(9, 5, 3, 3);

  // float64 central differences with ε = 1e-5 err by ~ε²·|f'''| ≈ 1e-10 plus rounding ~1e-16/ε; maxout's
  // max is piecewise, so a piece that changes within ±ε adds more: 1e-5 leaves room for both.
  it.each(CASES)('$name, JS float64: relative error < 1e-5 everywhere', async (c) => {
    const model = await Sequential.create(c.layers(), { loss: 'crossEntropy', backend: 'js', precision: 'float64', seed: 4 });
    const result = await gradCheck(model, x, y);
    // Every parameter of every layer with parameters was checked.
    expect(result.layers.reduce((n, l) => n + l.checked, 0)).toBe(model.getWeights().reduce((n, w) => n + w.length, 0));
    expect(result.maxRelativeError, JSON.stringify(result.layers)).toBeLessThan(1e-5);
  });

  it.each(CASES)('$name, WASM float32: relative error < 2e-3 (float32 backprop against float64 differences)', async (c) => {
    const model = await Sequential.create(c.layers(), { loss: 'crossEntropy', backend: 'wasm', seed: 4 });
    const result = await gradCheck(model, x, y);
    expect(result.maxRelativeError, JSON.stringify(result.layers)).toBeLessThan(2e-3);
  });

  it('a wrong gradient is caught: gradCheck is not a check that cannot fail', async () => {
    const model = await Sequential.create([new Dense(5, 3, { activation: 'softmax' })], { loss: 'crossEntropy', backend: 'js', precision: 'float64', seed: 4 });
    const honest = await gradCheck(model, x, y);
    // Corrupt one backpropagated entry (gradCheck's numeric side runs on its own copy): the check must see it.
    const real = model.gradients.bind(model);
    let calls = 0;
    (model as unknown as { gradients: typeof real }).gradients = (a, b) => {
      const g = real(a, b);
      if (calls++ === 0) g.gradients[0][0] += 0.1;
      return g;
    };
    const broken = await gradCheck(model, x, y);
    expect(honest.maxRelativeError).toBeLessThan(1e-6);
    expect(broken.maxRelativeError).toBeGreaterThan(1e-3);
    expect(broken.layers[0].worstAt).toBe('0.kernel[0]');
  });
});

describe('training and inference behave differently, and inference is repeatable', () => {
  it('batch norm: training moves the running statistics; predict uses them, row by row the same as in a batch', async () => {
    const { x, y } = data(64, 5, 3, 5);
    const model = await Sequential.create([new Dense(5, 6), new BatchNorm(), new Activation('relu'), new Dense(6, 3, { activation: 'softmax' })], { loss: 'crossEntropy', backend: 'wasm', seed: 2 });
    const engine = engineOf(model);
    const running = () => engine.readModelState().map((s) => Array.from(s));
    const before = running();
    expect(before[1].every((v) => v === 1)).toBe(true);
    await model.fit(x, y, { epochs: 3, batchSize: 16 });
    expect(running()).not.toEqual(before);
    // Inference normalizes with fixed statistics: one row alone gives what it gives inside a batch.
    const all = model.predict(x).data;
    const one = model.predict([x[7]]).data;
    expect(Array.from(one)).toEqual(Array.from(all.subarray(21, 24)));
  });

  it('dropout: identity in inference, inverted scaling in training, the same units dropped on both backends', async () => {
    const make = (backend: 'js' | 'wasm', rate: number) =>
      Sequential.create([new Dense(4, 64, { activation: 'relu' }), new Dropout(rate), new Dense(64, 1)], { loss: 'mse', backend, seed: 9 });
    const { x } = data(32, 4, 2, 6);
    const t = x.map((r) => r[0] - r[2]);
    const [withDrop, without] = [await make('wasm', 0.5), await make('wasm', 0)];
    expect(withDrop.predict(x).data).toEqual(without.predict(x).data);
    const [a, b] = [await make('wasm', 0.5), await make('js', 0.5)];
    await a.fit(x, t, { epochs: 4, batchSize: 8 });
    await b.fit(x, t, { epochs: 4, batchSize: 8 });
    await without.fit(x, t, { epochs: 4, batchSize: 8 });
    const wa = a.getWeights(), wb = b.getWeights(), w0 = without.getWeights();
    wa.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - wb[i][j])).toBeLessThan(1e-4 * Math.max(1, Math.abs(v)))));
    expect(wa[2]).not.toEqual(w0[2]);
  });

  it('one seed gives one run, dropout and batch norm included', async () => {
    const run = async () => {
      const m = await Sequential.create([new Dense(5, 8), new BatchNorm(), new Activation('relu'), new Dropout(0.2), new Dense(8, 3, { activation: 'softmax' })], { loss: 'crossEntropy', backend: 'wasm', seed: 12 });
      const { x, y } = data(40, 5, 3, 7);
      const history = await m.fit(x, y, { epochs: 3, batchSize: 8 });
      return { history, weights: m.getWeights().map((w) => Array.from(w)) };
    };
    expect(await run()).toEqual(await run());
  });

  it('a training batch of one row (batchSize 1, and a short last batch) never gives NaN', async () => {
    const { x, y } = data(17, 5, 3, 8);
    const model = await Sequential.create([new Dense(5, 6), new BatchNorm(), new Activation('relu'), new Dense(6, 3, { activation: 'softmax' })], { loss: 'crossEntropy', backend: 'wasm', seed: 3 });
    for (const batchSize of [1, 8]) {
      const h = await model.fit(x, y, { epochs: 2, batchSize });
      expect(h.history.loss.every(Number.isFinite)).toBe(true);
    }
    expect(model.predict(x).data.every(Number.isFinite)).toBe(true);
  });
});

describe('the fused narrow step stands aside for what it cannot do', () => {
  const trainOps = (m: Sequential) => {
    const plan = engineOf(m).plan(1);
    return engineOf(m).kernels.heap.i32[plan.train.offset >> 2] === Op.narrowStep ? 'fused' : `${plan.train.ops} ops`;
  };
  it.each([
    ['Dense 2→4→1, plain SGD', () => [new Dense(2, 4, { activation: 'sigmoid' }), new Dense(4, 1, { activation: 'sigmoid' })], { type: 'sgd', lr: 0.5 }, 'fused'],
    ['with dropout between', () => [new Dense(2, 4, { activation: 'sigmoid' }), new Dropout(0.1), new Dense(4, 1, { activation: 'sigmoid' })], { type: 'sgd', lr: 0.5 }, 'unfused'],
    ['with batch norm', () => [new Dense(2, 4), new BatchNorm(), new Dense(4, 1, { activation: 'sigmoid' })], { type: 'sgd', lr: 0.5 }, 'unfused'],
    ['in a residual block', () => [new Dense(2, 4), new Residual([new Dense(4, 4, { activation: 'tanh' })]), new Dense(4, 1, { activation: 'sigmoid' })], { type: 'sgd', lr: 0.5 }, 'unfused'],
    ['with momentum', () => [new Dense(2, 4, { activation: 'sigmoid' }), new Dense(4, 1, { activation: 'sigmoid' })], { type: 'sgd', lr: 0.5, momentum: 0.9 }, 'unfused'],
    ['with Adam', () => [new Dense(2, 4, { activation: 'sigmoid' }), new Dense(4, 1, { activation: 'sigmoid' })], { type: 'adam' }, 'unfused'],
  ] as const)('%s: %s', async (_, layers, optimizer, expected) => {
    const model = await Sequential.create(layers(), { loss: 'binaryCrossEntropy', optimizer: optimizer as never, backend: 'wasm' });
    const got = trainOps(model);
    if (expected === 'fused') expect(got).toBe('fused');
    else expect(got).not.toBe('fused');
  });
});

describe('bad definitions get clear errors', () => {
  it.each([
    ['dropout rate 1', () => new Dropout(1), /^Dropout rate: expected a number in \[0, 1\), got 1$/],
    ['dropout rate −0.1', () => new Dropout(-0.1), /^Dropout rate: expected a number in \[0, 1\), got -0.1$/],
    ['batch norm momentum 1', () => new BatchNorm({ momentum: 1 }), /^BatchNorm momentum: expected a number in \[0, 1\), got 1$/],
    ['batch norm epsilon 0', () => new BatchNorm({ epsilon: 0 }), /^BatchNorm epsilon: expected a number > 0/],
    ['an empty residual block', () => new Residual([]), /^Residual layers: expected a non-empty array of layers/],
    ['a residual option typo', () => new Residual([new Dense(2, 2)], { projections: true } as never), /^Residual options: expected keys among \[projection\], got unknown key "projections"/],
  ] as const)('%s', (_, make, message) => {
    expect(make).toThrow(InputError);
    expect(make).toThrow(message);
  });

  it('a residual block that changes the width without a projection names both widths', async () => {
    await expect(Sequential.create([new Dense(3, 4), new Residual([new Dense(4, 6)]), new Dense(6, 1)], { loss: 'mse' })).rejects.toThrow(
      /^layers\[1\] \(Residual\): expected the block to keep the width of its input \(4\), got an output of width 6; pass \{ projection: true \}/,
    );
  });

  it('a layer inside a block serves once, never also at the top', async () => {
    const shared = new Dense(4, 4);
    await expect(Sequential.create([new Dense(3, 4), new Residual([shared]), shared], { loss: 'mse' })).rejects.toThrow(/^layers: expected each layer object once, got the same layer twice/);
  });
});

describe('a deep residual batch-norm MLP on the digits', () => {
  it('reaches ≥ 0.97 test accuracy', async () => {
    const { loadDataset, standardizer, takeRows } = await import('../src/node/index.js');
    const digits = loadDataset('digits');
    const train = takeRows(digits.x, digits.y, digits.train), test = takeRows(digits.x, digits.y, digits.test);
    const scale = standardizer(train.x);
    // Four blocks of 128 (measured on this split, seeds 1–3: 0.971, 0.976, 0.976 test accuracy;
    // WASM's float arithmetic is the same on every CPU, so the seed's figure is reproducible).
    const block = () => new Residual([new Dense(128, 128), new BatchNorm(), new Activation('relu'), new Dropout(0.2)]);
    const model = await Sequential.create([new Dense(64, 128, { activation: 'relu' }), block(), block(), block(), block(), new Dense(128, 10, { activation: 'softmax' })], {
      loss: 'crossEntropy',
      optimizer: { type: 'adam', lr: 0.003 },
      seed: 3,
      backend: 'wasm',
    });
    await model.fit(scale.apply(train.x), train.y, { epochs: 40, batchSize: 32 });
    const { accuracy } = model.evaluate(scale.apply(test.x), test.y) as { accuracy: number };
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
