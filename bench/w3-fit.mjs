// W3 timed without the benchmark harness: `model.fit` of the 20,000-step XOR epoch on
// fresh simdnet-wasm models, to read the per-step cost itself (run `npm run build` first).
// Usage: node bench/w3-fit.mjs [models=3] [fits=40]
import { Dense, Sequential } from 'simdnet';
import { XOR_STEPS, w3 } from './workloads/w3.mjs';

const models = Number(process.argv[2] ?? 3), fits = Number(process.argv[3] ?? 40);
const data = w3.data(false);
const x = { data: data.x, shape: [XOR_STEPS, 2] }, y = { data: data.oneHot, shape: [XOR_STEPS, 1] };
const options = { epochs: 1, batchSize: 1, shuffle: true };

for (let m = 0; m < models; m++) {
  const model = await Sequential.create([new Dense(2, 4, { activation: 'sigmoid' }), new Dense(4, 1, { activation: 'sigmoid' })], {
    loss: 'mse',
    optimizer: { type: 'sgd', lr: 0.5 },
    seed: 1234,
    backend: 'wasm',
  });
  for (let i = 0; i < fits; i++) await model.fit(x, y, options);
  const ms = [];
  for (let i = 0; i < fits; i++) {
    const t0 = performance.now();
    await model.fit(x, y, options);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const median = ms[ms.length >> 1];
  console.log(`model ${m}: median ${((median * 1e6) / XOR_STEPS).toFixed(1)} ns/step, ${(XOR_STEPS / median / 1e3).toFixed(2)} M steps/s over ${fits} fits`);
  model.dispose();
}
