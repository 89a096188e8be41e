// The epoch-level kernels: the in-kernel shuffle and trainBatches, WASM against
// the JS twin, and the guarantee that slicing an epoch changes nothing.
import { describe, expect, it } from 'vitest';
import { JsKernels } from '../src/backend/js.js';
import type { Kernels } from '../src/backend/kernels.js';
import { WasmKernels } from '../src/backend/wasm.js';
import { Dense, Sequential } from '../src/index.js';

function permutation(k: Kernels, n: number, seed: number[], rounds: number): number[] {
  k.heap.ensure(64 + n * 4 + 16);
  const state = 16, order = 64;
  seed.forEach((s, i) => (k.heap.i32[(state >> 2) + i] = s));
  for (let i = 0; i < n; i++) k.heap.i32[(order >> 2) + i] = i;
  for (let r = 0; r < rounds; r++) k.shuffle(order, n, state);
  return Array.from(k.heap.i32.subarray(order >> 2, (order >> 2) + n));
}

describe('shuffle', () => {
  it.each([1, 2, 5, 33, 1000, 100_003])('gives the same permutation on both backends (n = %i)', async (n) => {
    const seed = [0x9e3779b9 | 0, 12345, -7, 42];
    const wasm = permutation(await WasmKernels.create(), n, seed, 3);
    const js = permutation(new JsKernels(), n, seed, 3);
    expect(wasm).toEqual(js);
    expect([...wasm].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
    if (n >= 33) expect(wasm).not.toEqual([...Array(n).keys()]);
  });

  it('is roughly uniform: each of 6 positions of 3 items appears about equally often', () => {
    const k = new JsKernels();
    const counts = new Map<string, number>();
    k.heap.ensure(1024);
    [1, 2, 3, 4].forEach((s, i) => (k.heap.i32[4 + i] = s));
    for (let trial = 0; trial < 6000; trial++) {
      k.heap.i32.set([0, 1, 2], 64);
      k.shuffle(256, 3, 16);
      const key = Array.from(k.heap.i32.subarray(64, 67)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});

describe('training in slices of an epoch', () => {
  const rows = Array.from({ length: 203 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 7) / 7]);
  const labels = rows.map((r) => (r[0] * r[1] > 0 ? 1 : 0));
  const build = (backend: 'js' | 'wasm') =>
    Sequential.create([new Dense(3, 9, { activation: 'tanh' }), new Dense(9, 2, { activation: 'softmax' })], {
      loss: 'crossEntropy',
      optimizer: { type: 'sgd', lr: 0.2 },
      seed: 2,
      backend,
    });

  it.each(['js', 'wasm'] as const)('one batch per call and many per call give bit-identical models on %s', async (backend) => {
    const sliced = await build(backend), whole = await build(backend);
    const perBatch: number[] = [];
    const h1 = await sliced.fit(rows, labels, { epochs: 4, batchSize: 10, callbacks: { onBatchEnd: (_, l) => void perBatch.push(l.loss) } });
    const h2 = await whole.fit(rows, labels, { epochs: 4, batchSize: 10 });
    expect(h1).toEqual(h2);
    expect(perBatch.length).toBe(4 * 21);
    sliced.getWeights().forEach((w, i) => expect(new Uint8Array(w.buffer)).toEqual(new Uint8Array(whole.getWeights()[i].buffer)));
  });

  it('WASM and JS follow the same shuffles and agree on the trained weights', async () => {
    const [w, j] = [await build('wasm'), await build('js')];
    await w.fit(rows, labels, { epochs: 3, batchSize: 16 });
    await j.fit(rows, labels, { epochs: 3, batchSize: 16 });
    const a = w.getWeights().flatMap((x) => Array.from(x)), b = j.getWeights().flatMap((x) => Array.from(x));
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-4));
  });

  it.each(['js', 'wasm'] as const)('many epochs per call give the same history and weights as one epoch per call on %s', async (backend) => {
    const many = await build(backend), one = await build(backend);
    const xor = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]];
    const h1 = await many.fit(xor, [0, 1, 1, 0], { epochs: 3000, batchSize: 1 });
    const h2 = await one.fit(xor, [0, 1, 1, 0], { epochs: 3000, batchSize: 1, callbacks: { onEpochEnd: () => {} } });
    expect(h1).toEqual(h2);
    many.getWeights().forEach((w, i) => expect(new Uint8Array(w.buffer)).toEqual(new Uint8Array(one.getWeights()[i].buffer)));
  });
});
