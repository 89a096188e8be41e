// Trains simdnet's W5 model and each W5 peer (bench/workloads/w5-peers.mjs) for a few epochs on a small seeded data
// set and prints the mean training loss and samples/s of each epoch, so the definitions are
// known to build, run and learn. Not a benchmark: short, untuned, on a shared machine.
//
//   node bench/check-w5-peers.mjs [--rows N] [--epochs E] [--only simdnet-wasm,tfjs-wasm,tfjs-cpu,jax-js]
import { simdnetWasm } from './contenders/simdnet.mjs';
import { classification } from './data.mjs';
import { W5_FLOPS_PER_SAMPLE, W5_PEERS, W5_SPEC } from './workloads/w5-peers.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const rows = Number(arg('rows', 1024));
const epochs = Number(arg('epochs', 3));
const only = arg('only', null)?.split(',');

const data = classification(rows, W5_SPEC.inputs, W5_SPEC.classes, 505);
const params = 784 * 256 + 256 + 8 * (256 * 256 + 256 + 2 * 256) + 256 * 10 + 10;
console.log(`W5 peers: ${rows} rows, batch ${W5_SPEC.batchSize} (${Math.ceil(rows / W5_SPEC.batchSize)} steps per epoch), ${epochs} epochs; ${params.toLocaleString('en')} trained parameters; ${(W5_FLOPS_PER_SAMPLE / 1e6).toFixed(2)} MFLOP per sample (dense products only)`);

let failed = false;
for (const peer of [simdnetWasm, ...W5_PEERS]) {
  if (only && !only.includes(peer.id)) continue;
  let model;
  try {
    model = await peer.create(W5_SPEC);
    const handle = model.prepare(data);
    const line = [];
    for (let e = 0; e < epochs; e++) {
      const t0 = performance.now();
      await model.fit(handle);
      const s = (performance.now() - t0) / 1000;
      const loss = model.epochLoss();
      if (!Number.isFinite(loss)) throw new Error(`epoch ${e + 1}: loss ${loss}`);
      line.push(`epoch ${e + 1}: loss ${loss.toFixed(4)}, ${Math.round(rows / s).toLocaleString('en')} samples/s`);
    }
    const probs = model.predict(data.x.subarray(0, 4 * W5_SPEC.inputs), 4);
    const sums = Array.from({ length: 4 }, (_, r) => probs.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0));
    if (!sums.every((s) => Math.abs(s - 1) < 1e-3)) throw new Error(`predict rows do not sum to 1: ${sums}`);
    console.log(`${peer.label.padEnd(12)} ${line.join(' · ')} · predict ok`);
    const info = peer.info?.() ?? {};
    if (Object.keys(info).length) console.log(`${''.padEnd(12)} ${JSON.stringify(info)}`);
  } catch (error) {
    failed = true;
    console.log(`${peer.label.padEnd(12)} FAILED: ${error.stack ?? error}`);
  } finally {
    model?.dispose();
  }
}
process.exitCode = failed ? 1 : 0;
