// Does each minibatch contender really learn on the bench's own data? Trains W1 (or W2) for a
// few epochs through the same contract the suite uses and prints, before training and after
// each epoch, the cross-entropy and accuracy of predict on the first 1,024 training rows, with
// each epoch's samples/s. Not a benchmark: one process, no repetitions, a shared machine.
//
//   node bench/check-learning.mjs [--workload W1|W2] [--epochs E] [--only simdnet-wasm,tfjs-wasm,jax-js]
import { jaxjs } from './contenders/jaxjs.mjs';
import { simdnetWasm } from './contenders/simdnet.mjs';
import { tfjsWasm } from './contenders/tfjs.mjs';
import { head } from './data.mjs';
import { w1 } from './workloads/w1.mjs';
import { w2 } from './workloads/w2.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const workload = arg('workload', 'W1') === 'W2' ? w2 : w1;
const epochs = Number(arg('epochs', 3));
const only = arg('only', null)?.split(',');
const data = workload.data(false);
const EVAL = 1024;

/** Mean cross-entropy and accuracy of predicted probabilities against the labels. */
function evaluate(model) {
  const probs = model.predict(data.x.subarray(0, EVAL * data.cols), EVAL);
  let loss = 0, right = 0;
  for (let r = 0; r < EVAL; r++) {
    const row = probs.subarray(r * data.classes, (r + 1) * data.classes);
    loss -= Math.log(Math.max(row[data.labels[r]], 1e-7));
    let best = 0;
    for (let c = 1; c < data.classes; c++) if (row[c] > row[best]) best = c;
    if (best === data.labels[r]) right++;
  }
  return `loss ${(loss / EVAL).toFixed(3)}, acc ${(right / EVAL).toFixed(3)}`;
}

for (const c of [simdnetWasm, tfjsWasm, jaxjs]) {
  if (only && !only.includes(c.id)) continue;
  const rows = workload.rows(c.id, false);
  const model = await c.create(workload.spec);
  try {
    const handle = model.prepare(head(data, rows));
    const steps = Math.ceil(rows / workload.spec.batchSize);
    console.log(`${c.label} — ${workload.id}, ${rows} rows per epoch (${steps} steps); before training: ${evaluate(model)}`);
    for (let e = 1; e <= epochs; e++) {
      const t0 = performance.now();
      await model.fit(handle);
      const rate = rows / ((performance.now() - t0) / 1000);
      const own = model.epochLoss?.();
      console.log(`  after ${e * steps} steps: ${evaluate(model)}${own == null ? '' : `; mean batch loss ${own.toFixed(3)}`}; ${Math.round(rate).toLocaleString('en')} samples/s`);
    }
  } finally {
    model.dispose();
  }
}
