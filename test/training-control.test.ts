// Learning-rate schedules and the callbacks that steer training: the rates a schedule
// gives are the rates each step uses, on both backends and through the fused step;
// early stopping and plateaus follow Keras's rules; a bad schedule is refused before
// the model changes.
import { describe, expect, it } from 'vitest';
import { Hyper } from '../src/backend/ops.js';
import type { Engine } from '../src/engine.js';
import {
  Dense,
  InputError,
  Sequential,
  cosineDecay,
  earlyStopping,
  exponentialDecay,
  recordGradientNorms,
  reduceLROnPlateau,
  stepDecay,
  warmup,
} from '../src/index.js';
import { Random } from '../src/random.js';

const engineOf = (m: Sequential) => (m as unknown as { engine: Engine }).engine;

describe('built-in schedules', () => {
  it('give the rates their formulas say', () => {
    expect([0, 9, 10, 25].map(stepDecay({ lr: 0.1, every: 10, factor: 0.5 }))).toEqual([0.1, 0.1, 0.05, 0.025]);
    const e = exponentialDecay({ lr: 1, rate: 0.5, steps: 4 });
    expect(e(4)).toBeCloseTo(0.5, 12);
    expect(e(2)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(exponentialDecay({ lr: 1, rate: 0.5, steps: 4, staircase: true })(7)).toBe(0.5);
    const c = cosineDecay({ lr: 1, steps: 100, floor: 0.1 });
    expect(c(0)).toBe(1);
    expect(c(50)).toBeCloseTo(0.55, 12);
    expect(c(100)).toBeCloseTo(0.1, 12);
    expect(c(1000)).toBeCloseTo(0.1, 12);
    const w = warmup({ steps: 10, then: cosineDecay({ lr: 0.2, steps: 100 }) });
    expect(w(0)).toBeCloseTo(0.02, 12);
    expect(w(9)).toBeCloseTo(0.2, 12);
    expect(w(60)).toBeCloseTo(0.1, 12);
  });

  const FILLED = [
    ['step', stepDecay({ lr: 0.3, every: 7, factor: 0.5 })],
    ['exponential', exponentialDecay({ lr: 0.3, rate: 0.9, steps: 7 })],
    ['cosine', cosineDecay({ lr: 0.3, steps: 1000, floor: 0.01 })],
    ['cosine to 0 over 10⁹ steps', cosineDecay({ lr: 0.3, steps: 1e9 })],
    ['warm-up then cosine', warmup({ steps: 50, then: cosineDecay({ lr: 0.3, steps: 1000 }) })],
  ] as const;

  it.each(FILLED)('%s: the fast fill gives the function’s values, wherever a call starts', (_, s) => {
    for (const first of [0, 1, 63, 64, 999, 1049, 1e9 - 100]) {
      const rates = new Float32Array(300);
      s.fill!(rates, first);
      rates.forEach((r, i) => expect(Math.abs(r - s(first + i))).toBeLessThanOrEqual(1e-6 * s(first + i) + 1e-12));
    }
  });

  it.each(FILLED)('%s: a step’s rate does not depend on where a table starts (slices of a fit are timed)', (_, s) => {
    const whole = new Float32Array(700);
    s.fill!(whole, 900);
    for (const [start, length] of [[901, 5], [963, 64], [1000, 300], [1537, 63]]) {
      const part = new Float32Array(length);
      s.fill!(part, start);
      expect(Array.from(part)).toEqual(Array.from(whole.subarray(start - 900, start - 900 + length)));
    }
  });

  it.each([
    ['stepDecay factor 1', () => stepDecay({ lr: 0.1, every: 10, factor: 1 }), /^stepDecay factor: expected a number in \(0, 1\), got 1/],
    ['cosine floor above lr', () => cosineDecay({ lr: 0.1, steps: 10, floor: 0.2 }), /^cosineDecay floor: expected a number ≥ 0 and below lr \(0.1\), got 0.2/],
    ['warm-up of 0 steps', () => warmup({ steps: 0, then: 0.1 }), /^warmup steps: expected an integer ≥ 1, got 0/],
    ['an unknown option', () => stepDecay({ lr: 0.1, every: 10, factor: 0.5, gamma: 2 } as never), /^stepDecay options: expected keys among \[lr, every, factor\], got unknown key "gamma"/],
  ])('refuse %s', (_, make, message) => {
    expect(make).toThrow(InputError);
    expect(make).toThrow(message);
  });
});

describe.each(['js', 'wasm'] as const)('a schedule inside training on %s', (backend) => {
  // One weight, one row, per-sample SGD: w ← w − lr_t·2(w − 3), so the final w tells every rate used.
  async function trained(lr: number | ((t: number) => number), steps: number, wide = false) {
    const layers = wide ? [new Dense(1, 5, { init: 'zeros' }), new Dense(5, 1, { init: 'zeros' })] : [new Dense(1, 1, { init: 'zeros' })];
    const model = await Sequential.create(layers, { loss: 'mse', optimizer: { type: 'sgd', lr: lr as never }, backend });
    await model.fit([[1]], [3], { epochs: steps, batchSize: 1 });
    return model;
  }

  it('each step uses its scheduled rate (the fused per-sample step too)', async () => {
    const s = warmup({ steps: 5, then: cosineDecay({ lr: 0.05, steps: 40, floor: 0.005 }) });
    const model = await trained(s, 60);
    // Reference in doubles: w and b move alike (input 1), each by lr·2(w + b − 3).
    let w = 0, b = 0;
    for (let t = 0; t < 60; t++) {
      const g = 2 * (w + b - 3);
      w -= s(t) * g;
      b -= s(t) * g;
    }
    const [kw, kb] = model.getWeights();
    expect(kw[0]).toBeCloseTo(w, 4);
    expect(kb[0]).toBeCloseTo(b, 4);
    const engine = engineOf(model);
    expect(engine.steps).toBe(60);
    expect(engine.kernels.heap.f32[(engine.hyper + Hyper.lrNow) >> 2]).toBeCloseTo(s(59), 7);
  });

  it('a function of your own is a schedule, and the step count goes on across fits', async () => {
    const seen: number[] = [];
    const own = (t: number) => {
      seen.push(t);
      return 0.01 / (1 + t);
    };
    const model = await Sequential.create([new Dense(1, 3), new Dense(3, 1)], { loss: 'mse', optimizer: { type: 'sgd', lr: own, momentum: 0.5 }, backend });
    await model.fit([[1], [2]], [1, 2], { epochs: 3, batchSize: 1 });
    await model.fit([[1], [2]], [1, 2], { epochs: 2, batchSize: 1 });
    expect(engineOf(model).steps).toBe(10);
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(9);
    expect(engineOf(model).kernels.heap.f32[(engineOf(model).hyper + Hyper.lrNow) >> 2]).toBeCloseTo(0.01 / 10, 8);
  });

  it('a schedule that returns NaN is refused before the model changes, naming the step', async () => {
    const model = await Sequential.create([new Dense(2, 1)], { loss: 'mse', optimizer: { type: 'sgd', lr: (t: number) => (t < 1 ? 0.1 : NaN) } as never, backend });
    const before = model.getWeights();
    await expect(model.fit([[1, 2], [3, 4]], [1, 2], { epochs: 3, batchSize: 1 })).rejects.toThrow(/^optimizer.lr: expected the schedule to give a learning rate ≥ 0 within float32's range at step 1, got NaN/);
    expect(model.getWeights()).toEqual(before);
  });

  it('the optimizer says it follows a schedule and refuses a fixed rate', async () => {
    const model = await trained(stepDecay({ lr: 0.1, every: 2, factor: 0.5 }), 1);
    expect(model.optimizer.schedule).not.toBeNull();
    expect(() => (model.optimizer.lr = 0.5)).toThrow(/^optimizer.lr: expected no new rate for an optimizer whose schedule sets it/);
    expect(model.optimizer.config()).toEqual({ type: 'sgd', lr: { type: 'step', lr: 0.1, every: 2, factor: 0.5 } });
  });
});

function blobs(rows: number, seed: number) {
  const rng = new Random(seed);
  const y = Array.from({ length: rows }, (_, i) => i % 2);
  const x = y.map((c) => [rng.normal() + (c ? 1 : -1), rng.normal()]);
  return { x, y };
}

describe('callbacks that steer training', () => {
  it('earlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const { x, y } = blobs(60, 1);
    const model = await Sequential.create([new Dense(2, 8, { activation: 'relu' }), new Dense(8, 2, { activation: 'softmax' })], { loss: 'crossEntropy', optimizer: { type: 'sgd', lr: 0.5 }, seed: 3 });
    const snapshots: ReturnType<Sequential['snapshot']>[] = [];
    const stop = earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
    const history = await model.fit(x, y, { epochs: 200, validationSplit: 0.3, callbacks: [{ onEpochEnd: (_e, _l, m) => void snapshots.push(m.snapshot()) }, stop] });
    const val = history.history.val_loss;
    expect(stop.stoppedEpoch).toBe(history.epoch[history.epoch.length - 1]);
    expect(stop.stoppedEpoch).toBeLessThan(199);
    const best = val.indexOf(Math.min(...val));
    expect(stop.bestEpoch).toBe(best);
    // Stopped exactly `patience` epochs after the best one, and the weights are the best epoch's.
    expect(stop.stoppedEpoch! - best).toBe(3);
    expect(model.getWeights()).toEqual(snapshots[best].weights);
  });

  it('earlyStopping names a metric the logs do not have, with a hint', async () => {
    const { x, y } = blobs(20, 2);
    const model = await Sequential.create([new Dense(2, 2, { activation: 'softmax' })], { loss: 'crossEntropy' });
    await expect(model.fit(x, y, { epochs: 3, callbacks: earlyStopping() })).rejects.toThrow(
      /^earlyStopping monitor: expected one of the logged metrics \[loss, accuracy\], got "val_loss" \(pass validationSplit or validationData to fit\)/,
    );
  });

  it('reduceLROnPlateau multiplies the rate by its factor on a plateau and logs it', async () => {
    const { x, y } = blobs(40, 3);
    const model = await Sequential.create([new Dense(2, 2, { activation: 'softmax' })], { loss: 'crossEntropy', optimizer: { type: 'sgd', lr: 0.2 } });
    // A monitored metric that never improves after the first epoch: a plateau every `patience` epochs.
    const flat = { onEpochEnd: (_e: number, logs: Record<string, number | undefined>) => void (logs.flat = 1) };
    const history = await model.fit(x, y, { epochs: 7, callbacks: [flat, reduceLROnPlateau({ monitor: 'flat', patience: 2, factor: 0.5, minLr: 0.03 })] });
    expect(history.history.lr.map((v) => Number(v.toFixed(6)))).toEqual([0.2, 0.2, 0.1, 0.1, 0.05, 0.05, 0.03]);
    expect(model.optimizer.lr).toBeCloseTo(0.03, 12);
  });

  it('reduceLROnPlateau refuses an optimizer that follows a schedule', async () => {
    const model = await Sequential.create([new Dense(2, 1)], { loss: 'mse', optimizer: { type: 'sgd', lr: stepDecay({ lr: 0.1, every: 5, factor: 0.5 }) } });
    await expect(model.fit([[1, 2]], [1], { callbacks: reduceLROnPlateau() })).rejects.toThrow(/^reduceLROnPlateau: expected an optimizer with a fixed learning rate/);
  });

  it('a callbacks list with a hole is refused, naming the entry (found by the fuzzer)', async () => {
    const model = await Sequential.create([new Dense(2, 1)], { loss: 'mse' });
    // eslint-disable-next-line no-sparse-arrays
    await expect(model.fit([[1, 2]], [1], { callbacks: [{}, ,] as never })).rejects.toThrow(/^callbacks\[1\]: expected an object with methods among/);
  });

  it('any callback can stop training, and recordGradientNorms adds one history entry per layer', async () => {
    const { x, y } = blobs(30, 4);
    const model = await Sequential.create([new Dense(2, 4, { activation: 'tanh' }), new Dense(4, 2, { activation: 'softmax' })], { loss: 'crossEntropy' });
    const history = await model.fit(x, y, {
      epochs: 10,
      callbacks: [recordGradientNorms(x.slice(0, 16), y.slice(0, 16)), { onEpochEnd: (epoch, _logs, m) => void (m.stopTraining = epoch === 3) }],
    });
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'gradientNorm.0', 'gradientNorm.1', 'loss']);
    expect(history.history['gradientNorm.0'].every((v) => v > 0 && Number.isFinite(v))).toBe(true);
  });
});
