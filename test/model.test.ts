// Behaviour of Sequential beyond the numbers: seeding, re-planning, callbacks,
// yielding, validation, metrics, and the backend choice.
import { describe, expect, it } from 'vitest';
import { Dense, Maxout, Sequential } from '../src/index.js';
import { Random } from '../src/random.js';
import { wasmVariant } from '../src/backend/wasm.js';

function blobs(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new Random(seed);
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push([c + rng.normal() * 0.3, -c + rng.normal() * 0.3, rng.normal()]);
    y.push(c);
  }
  return { x, y };
}

const classifier = (backend: 'js' | 'wasm', seed = 7) =>
  Sequential.create([new Dense(3, 8, { activation: 'relu' }), new Dense(8, 3, { activation: 'softmax' })], {
    loss: 'crossEntropy',
    optimizer: { type: 'sgd', lr: 0.1 },
    seed,
    backend,
  });

describe.each(['js', 'wasm'] as const)('Sequential on %s', (backend) => {
  it('the same seed gives bit-identical weights and history', async () => {
    const { x, y } = blobs(90, 1);
    const runs = await Promise.all([classifier(backend), classifier(backend)]);
    const histories = [];
    for (const m of runs) histories.push(await m.fit(x, y, { epochs: 5, batchSize: 7, validationSplit: 0.2 }));
    expect(histories[0]).toEqual(histories[1]);
    const [a, b] = runs.map((m) => m.getWeights());
    a.forEach((w, i) => expect(new Uint8Array(w.buffer)).toEqual(new Uint8Array(b[i].buffer)));
    const other = await classifier(backend, 8);
    expect(other.getWeights()[0]).not.toEqual((await classifier(backend)).getWeights()[0]);
  });

  it('a larger batch re-plans the activations and keeps the parameters', async () => {
    const { x, y } = blobs(60, 2);
    const model = await classifier(backend);
    await model.fit(x, y, { epochs: 1, batchSize: 4 });
    const before = model.getWeights();
    const predictedSmall = model.predict(x).data;
    // 60 rows at once needs more arena than batch 4 planned: the heap grows and every view is refreshed.
    const predictedLarge = model.predict({ data: Float32Array.from(Array(600).fill(x).flat(2)), shape: [36000, 3] });
    expect(model.getWeights()).toEqual(before);
    expect(predictedLarge.data.subarray(0, predictedSmall.length)).toEqual(predictedSmall);
    await model.fit(x, y, { epochs: 1, batchSize: 60 });
    expect(model.getWeights()[0]).not.toEqual(before[0]);
  });

  it('history has loss, accuracy and validation metrics per epoch, and training lowers the loss', async () => {
    const { x, y } = blobs(120, 3);
    const model = await classifier(backend);
    const h = await model.fit(x, y, { epochs: 20, batchSize: 16, validationSplit: 0.25 });
    expect(h.epoch).toEqual([...Array(20).keys()]);
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0]);
    expect(h.history.val_accuracy[19]).toBeGreaterThan(0.9);
    const direct = model.evaluate(x.slice(90), y.slice(90));
    expect(direct.loss).toBeCloseTo(h.history.val_loss[19], 5);
  });

  it('a callback can stop training', async () => {
    const { x, y } = blobs(30, 4);
    const model = await classifier(backend);
    const seen: number[] = [];
    const h = await model.fit(x, y, {
      epochs: 50,
      batchSize: 1,
      callbacks: {
        onEpochEnd: (epoch) => {
          seen.push(epoch);
          if (epoch === 2) model.stopTraining = true;
        },
      },
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(h.epoch).toEqual([0, 1, 2]);
  });

  it('fit yields to the event loop while it trains (about every 30 ms)', async () => {
    const { x, y } = blobs(600, 4);
    const model = await classifier(backend);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    const stopAfter300ms = () => void (model.stopTraining = performance.now() - started > 300);
    const { epoch } = await model.fit(x, y, { epochs: 100_000, batchSize: 1, callbacks: { onEpochEnd: stopAfter300ms } });
    const epochs = epoch.length;
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // Timers run only when fit lets go of the thread: at least one per 30 ms slice, with slack for a loaded machine.
    expect(ticks, `${ticks} timer ticks in ${elapsed.toFixed(0)} ms of ${epochs} epochs`).toBeGreaterThanOrEqual(Math.floor(elapsed / 30 / 3));
  });

  it('predict and evaluate work inside callbacks without disturbing the epoch', async () => {
    const { x, y } = blobs(30, 5);
    const model = await classifier(backend);
    const plain = await classifier(backend);
    const inside: number[] = [];
    const h = await model.fit(x, y, { epochs: 3, batchSize: 4, callbacks: { onBatchEnd: () => void inside.push(model.evaluate(x, y).loss) } });
    const h2 = await plain.fit(x, y, { epochs: 3, batchSize: 4 });
    expect(h).toEqual(h2);
    expect(inside.length).toBe(3 * 8);
  });

  it('batch size 1 is online learning: one update per row', async () => {
    const { x, y } = blobs(12, 6);
    const model = await classifier(backend);
    let batches = 0;
    await model.fit(x, y, { epochs: 2, batchSize: 1, callbacks: { onBatchEnd: () => void batches++ } });
    expect(batches).toBe(24);
  });

  it('regression reports loss, MSE, MAE and R²', async () => {
    const rng = new Random(9);
    const x = Array.from({ length: 200 }, () => [rng.normal(), rng.normal()]);
    const y = x.map(([a, b]) => 3 * a - 2 * b + 1);
    const model = await Sequential.create([new Dense(2, 1)], { loss: 'mse', optimizer: { type: 'sgd', lr: 0.05 }, seed: 1, backend });
    await model.fit(x, y, { epochs: 60, batchSize: 10 });
    const m = model.evaluate(x, y) as { loss: number; mse: number; mae: number; r2: number };
    expect(m.loss).toBeCloseTo(m.mse, 6);
    expect(m.r2).toBeGreaterThan(0.999);
    expect(m.mae).toBeLessThan(0.05);
    const [w, b] = model.getWeights();
    expect(Array.from(w).map((v) => +v.toFixed(2))).toEqual([3, -2]);
    expect(b[0]).toBeCloseTo(1, 2);
  });

  it('a maxout network learns the three blobs', async () => {
    const { x, y } = blobs(150, 10);
    const model = await Sequential.create([new Maxout(3, 6, { pieces: 3 }), new Dense(6, 3, { activation: 'softmax' })], {
      loss: 'crossEntropy',
      optimizer: { type: 'sgd', lr: 0.1 },
      backend,
    });
    await model.fit(x, y, { epochs: 30, batchSize: 10 });
    expect((model.evaluate(x, y) as { accuracy: number }).accuracy).toBeGreaterThan(0.95);
    expect(Array.from(model.predictClasses(x.slice(0, 6)))).toEqual(y.slice(0, 6));
  });

  it('reports the backend that runs and why', async () => {
    const info = (await classifier(backend)).backendInfo();
    expect(info).toEqual({ backend, requested: backend, reason: `backend '${backend}' was requested`, simd: backend === 'wasm' ? wasmVariant() : null, threads: 1 });
  });
});

it("'auto' picks WASM where SIMD validates", async () => {
  const model = await Sequential.create([new Dense(2, 1)], { loss: 'mse' });
  expect(model.backendInfo()).toEqual({ backend: 'wasm', requested: 'auto', reason: 'WebAssembly SIMD is available', simd: wasmVariant(), threads: 1 });
});
