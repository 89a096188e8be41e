// The browser benchmark's page (npm run bench:browser): W1, W2 and W4 in this engine, simdnet
// (relaxed SIMD, one thread, and two over Web Workers on this cross-origin-isolated page)
// against TF.js's wasm backend in the same page (its SIMD build, threaded where the page is
// isolated). Rounds interleave the contenders, so a slow stretch of the shared machine hits
// them alike; the medians over rounds go to window.bench.
import { Dense, Sequential } from 'simdnet';
import { classification } from '../data.mjs';

// TF.js from its prebuilt bundles (index.html): core, layers and the wasm backend on `tf`.
const tf = window.tf;
const tfl = window.tf;
const { setThreadsCount, setWasmPaths } = window.tf.wasm;

const params = new URLSearchParams(location.search);
const quick = params.has('quick');
const ROUNDS = quick ? 1 : 7;
const log = (line) => (document.getElementById('log').textContent += line + '\n');

const W1 = { id: 'W1', inputs: 784, layers: [[128, 'relu'], [10, 'softmax']], batch: 64, rows: { simdnet: 4096, tfjs: 1024 } };
const W2 = { id: 'W2', inputs: 1024, layers: [[1024, 'relu'], [1024, 'relu'], [10, 'softmax']], batch: 128, rows: { simdnet: 512, tfjs: 256 } };
// W2's useful flops per training sample (bench/workloads/w2.mjs): forward, dW, and dX past the first layer.
const W2_FLOPS = 4 * 1024 * 1024 + 6 * 1024 * 1024 + 6 * 1024 * 10;

async function simdnet(spec, threads) {
  let width = spec.inputs;
  const layers = spec.layers.map(([units, activation]) => {
    const layer = new Dense(width, units, { activation });
    width = units;
    return layer;
  });
  const model = await Sequential.create(layers, { loss: 'crossEntropy', optimizer: { type: 'sgd', lr: 0.01 }, seed: 1234, threads });
  const info = model.backendInfo();
  if (info.threads !== threads) throw new Error(`simdnet ran ${info.threads} threads, not ${threads}: ${info.reason}`);
  return {
    info,
    data: (d) => ({ x: { data: d.x, shape: [d.rows, d.cols] }, y: d.labels }),
    fit: async ({ x, y }) => void (await model.fit(x, y, { epochs: 1, batchSize: spec.batch, shuffle: true })),
    predict: (x, rows) => model.predict({ data: x, shape: [rows, spec.inputs] }).data,
    dispose: () => model.dispose(),
  };
}

async function tfjs(spec) {
  const model = tfl.sequential();
  spec.layers.forEach(([units, activation], i) => model.add(tfl.layers.dense(i === 0 ? { units, activation, inputShape: [spec.inputs] } : { units, activation })));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const tensors = [];
  return {
    data: (d) => {
      const x = tf.tensor2d(d.x, [d.rows, d.cols]), y = tf.tensor2d(d.oneHot, [d.rows, d.classes]);
      tensors.push(x, y);
      return { x, y };
    },
    fit: async ({ x, y }) => void (await model.fit(x, y, { epochs: 1, batchSize: spec.batch, shuffle: true, verbose: 0 })),
    predict: (x, rows) => tf.tidy(() => model.predict(tf.tensor2d(x, [rows, spec.inputs])).dataSync()),
    dispose: () => {
      tensors.forEach((t) => t.dispose());
      model.dispose();
    },
  };
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Each contender's seconds per op over interleaved rounds (the order alternating), after one untimed op. */
async function rounds(entries, op) {
  for (const e of entries) await op(e);
  const times = new Map(entries.map((e) => [e.id, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [...entries].reverse() : entries;
    for (const e of order) {
      const t0 = performance.now();
      await op(e);
      times.get(e.id).push((performance.now() - t0) / 1000);
    }
  }
  return times;
}

async function contenders(spec) {
  return [
    { id: 'simdnet-relaxed', model: await simdnet(spec, 1) },
    { id: 'simdnet-2t', model: await simdnet(spec, 2) },
    { id: 'tfjs-wasm', model: await tfjs(spec) },
  ];
}

async function training(spec) {
  const entries = await contenders(spec);
  const data = classification(spec.rows.simdnet, spec.inputs, 10, spec.id === 'W1' ? 101 : 202);
  for (const e of entries) {
    e.rows = quick ? 32 : spec.rows[e.id.startsWith('tfjs') ? 'tfjs' : 'simdnet'];
    e.handle = e.model.data({ ...data, rows: e.rows, x: data.x.subarray(0, e.rows * spec.inputs), labels: data.labels.subarray(0, e.rows), oneHot: data.oneHot.subarray(0, e.rows * 10) });
  }
  const times = await rounds(entries, (e) => e.model.fit(e.handle));
  const out = entries.map((e) => ({ contender: e.id, samplesPerSecond: e.rows / median(times.get(e.id)), rounds: times.get(e.id).map((t) => e.rows / t) }));
  entries.forEach((e) => e.model.dispose());
  return out;
}

async function inference() {
  const entries = await contenders(W1);
  const data = classification(256, 784, 10, 404);
  const calls = quick ? 10 : 2000;
  let i = 0;
  const one = (e) => {
    for (let k = 0; k < calls; k++) {
      const r = i++ % 64;
      e.model.predict(data.x.subarray(r * 784, (r + 1) * 784), 1);
    }
  };
  for (const e of entries) for (let k = 0; k < 200; k++) e.model.predict(data.x.subarray(0, 784), 1);
  const latency = await rounds(entries, async (e) => one(e));
  const bulk = await rounds(entries, async (e) => void e.model.predict(data.x, 256));
  const out = entries.map((e) => ({
    contender: e.id,
    batch1Microseconds: (median(latency.get(e.id)) / calls) * 1e6,
    batch256RowsPerSecond: 256 / median(bulk.get(e.id)),
  }));
  entries.forEach((e) => e.model.dispose());
  return out;
}

async function main() {
  setWasmPaths('/tfjs/');
  setThreadsCount(2);
  if (!(await tf.setBackend('wasm'))) throw new Error('TF.js could not start its wasm backend');
  const tfjsInfo = {
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
  const simdnetInfo = [];
  for (const threads of [1, 2]) {
    const probe = await simdnet(W1, threads);
    simdnetInfo.push(probe.info);
    probe.dispose();
  }
  log(`isolated ${crossOriginIsolated}; simdnet ${JSON.stringify(simdnetInfo)}; tfjs ${JSON.stringify(tfjsInfo)}`);
  const result = { userAgent: navigator.userAgent, isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency, rounds: ROUNDS, simdnet: simdnetInfo, tfjs: tfjsInfo };
  result.W1 = await training(W1);
  log(`W1 ${JSON.stringify(result.W1.map((r) => [r.contender, Math.round(r.samplesPerSecond)]))}`);
  result.W2 = (await training(W2)).map((r) => ({ ...r, gflops: (r.samplesPerSecond * W2_FLOPS) / 1e9 }));
  log(`W2 ${JSON.stringify(result.W2.map((r) => [r.contender, Math.round(r.samplesPerSecond)]))}`);
  result.W4 = await inference();
  log(`W4 ${JSON.stringify(result.W4)}`);
  return result;
}

window.bench = main().catch((e) => ({ error: String(e && e.stack) }));
