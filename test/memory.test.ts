// A long run keeps memory flat: the arena is planned once and a training step
// allocates nothing, so a million per-sample steps grow neither the WASM memory
// nor the JS heap beyond the per-epoch history.
import { expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { Dense, Sequential } from '../src/index.js';

it('10⁶ per-sample XOR steps keep the linear memory and the JS heap flat', async () => {
  const xor = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const x = Array.from({ length: 1000 }, () => xor).flat();
  const y = Array.from({ length: 1000 }, () => [0, 1, 1, 0]).flat();
  const model = await Sequential.create([new Dense(2, 4, { activation: 'sigmoid' }), new Dense(4, 1, { activation: 'sigmoid' })], {
    loss: 'mse',
    optimizer: { type: 'sgd', lr: 0.5 },
    backend: 'wasm',
  });
  const heap = (model as unknown as { engine: Engine }).engine.kernels.heap;
  await model.fit(x, y, { epochs: 5, batchSize: 1 });
  const linear = heap.byteLength;
  globalThis.gc?.();
  const before = process.memoryUsage();
  const h = await model.fit(x, y, { epochs: 250, batchSize: 1 });
  globalThis.gc?.();
  const after = process.memoryUsage();
  expect(h.epoch.length * x.length).toBe(1_000_000);
  expect(heap.byteLength).toBe(linear);
  // The fit itself allocates its copy of x and y (a few hundred KiB) and 250 history entries.
  const grown = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20;
  expect(grown, `JS heap grew by ${grown.toFixed(2)} MiB`).toBeLessThan(8);
  expect(Array.from(model.predict(xor).data).map((p) => (p > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
});
