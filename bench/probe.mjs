// How fast the machine runs right now. On the shared development host the same code
// ran up to ~1.6× slower for seconds to minutes at a time (a per-sample step of a tiny
// network 62 → 100 ns; W2's GEMMs 38 → 24 GFLOP/s in one run), as clocks or other
// tenants' load changed, while short integer and scalar-float loops in JS often did not
// notice. So the probe is such a step itself: the same fixed 2→4→1 sigmoid network,
// 4,000 per-sample SGD steps, best of five, taken before each workload.
import { Dense, Sequential } from 'simdnet';

const ROWS = 4000;

export async function latencyProbe() {
  const model = await Sequential.create([new Dense(2, 4, { activation: 'sigmoid' }), new Dense(4, 1, { activation: 'sigmoid' })], {
    loss: 'mse',
    optimizer: { type: 'sgd', lr: 0.5 },
    seed: 1,
    backend: 'wasm',
  });
  const x = { data: Float32Array.from({ length: 2 * ROWS }, (_, i) => (i * 0.618) % 1), shape: [ROWS, 2] };
  const y = { data: Float32Array.from({ length: ROWS }, (_, i) => i % 2), shape: [ROWS, 1] };
  const options = { epochs: 1, batchSize: 1 };
  for (let i = 0; i < 50; i++) await model.fit(x, y, options);
  return {
    /** ns per step now. */
    async measure() {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await model.fit(x, y, options);
        best = Math.min(best, performance.now() - t0);
      }
      return +((best * 1e6) / ROWS).toFixed(1);
    },
    dispose: () => model.dispose(),
  };
}
