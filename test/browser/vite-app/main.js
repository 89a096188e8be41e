// A page that trains a small net with simdnet as an app would, and reports to the test
// through window.result: the training's outcome, and the errors a user would see
// (names and messages, after the production build has minified the classes).
import { Activation, BatchNorm, Dense, Dropout, InputError, Maxout, Residual, Sequential, loadModel } from 'simdnet';

async function errorOf(call) {
  try {
    await call();
    return null;
  } catch (e) {
    return { name: e.name, isInputError: e instanceof InputError, text: String(e), stackHead: String(e.stack).split('\n')[0] };
  }
}

async function main() {
  const x = [[0, 0], [0, 1], [1, 0], [1, 1]], labels = [0, 1, 1, 0];
  const model = await Sequential.create([new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 2, { activation: 'softmax' })], {
    loss: 'crossEntropy',
    optimizer: { type: 'adam', lr: 0.05 },
    seed: 1,
  });
  const history = await model.fit(x, labels, { epochs: 300, batchSize: 4 });
  const saved = await loadModel(model.save().slice().buffer);
  return {
    backend: model.backendInfo(),
    predicted: Array.from(model.predictClasses(x)),
    reloaded: Array.from(saved.predictClasses(x)),
    firstLoss: history.history.loss[0],
    lastLoss: history.history.loss.at(-1),
    badWidth: await errorOf(() => new Dense(0, 2)),
    badFile: await errorOf(() => loadModel(new Uint8Array(4))),
    wasmAsked: await errorOf(async () => (await Sequential.create([new Dense(2, 1)], { loss: 'mse', backend: 'wasm' })).dispose()),
  };
}

if (!/[?&](pace|threads|infer)\b/.test(location.search)) {
  main().then(
    (r) => (window.result = { ok: true, ...r }),
    (e) => (window.result = { ok: false, error: String(e && e.stack) }),
  );
}

// ?pace: how long fit holds the main thread. A MessageChannel ping-pong runs between tasks, so
// the gaps between its ticks are the tasks fit ran (the first holds fit's setup); per backend.
async function pace(backend) {
  const rows = 4096, x = new Float32Array(rows * 64).map((_, i) => Math.sin(i)), labels = Int32Array.from({ length: rows }, (_, i) => i % 10);
  const model = await Sequential.create([new Dense(64, 256, { activation: 'relu' }), new Dense(256, 10, { activation: 'softmax' })], { loss: 'crossEntropy', seed: 1, backend });
  const channel = new MessageChannel();
  let last = performance.now(), running = true;
  const gaps = [];
  channel.port1.onmessage = () => {
    if (!running) return;
    const t = performance.now();
    gaps.push(t - last);
    last = t;
    channel.port2.postMessage(0);
  };
  const started = last;
  channel.port2.postMessage(0);
  await model.fit({ data: x, shape: [rows, 64] }, labels, { epochs: backend === 'js' ? 2 : 8, batchSize: 32, validationSplit: 0.1 });
  // fit's last task, from the last tick to its resolution.
  gaps.push(performance.now() - last);
  running = false;
  const ms = performance.now() - started;
  model.dispose();
  return { backend, ms, gaps };
}

if (new URLSearchParams(location.search).has('pace')) {
  window.pace = (async () => [await pace('wasm'), await pace('js')])();
}

// ?threads: the same training on one thread, on two (Web Workers where the page is
// cross-origin isolated) and three: what each says it runs, and how far the weights agree.
async function threads() {
  const rows = 256, x = new Float32Array(rows * 512).map((_, i) => Math.cos(i * 0.1)), labels = Int32Array.from({ length: rows }, (_, i) => i % 10);
  const make = (threads) => Sequential.create([new Dense(512, 1024, { activation: 'relu' }), new Dense(1024, 10, { activation: 'softmax' })], { loss: 'crossEntropy', seed: 3, threads });
  const weights = [], infos = [];
  for (const n of [1, 2, 3]) {
    const model = await make(n);
    await model.fit({ data: x, shape: [rows, 512] }, labels, { epochs: 2, batchSize: 64 });
    infos.push(model.backendInfo());
    weights.push(model.getWeights().map((w) => Array.from(w)));
    model.dispose();
  }
  const flat = (ws) => ws.flat();
  const [w1, w2, w3] = weights.map(flat);
  return {
    isolated: self.crossOriginIsolated,
    one: infos[0],
    two: infos[1],
    three: infos[2],
    identical: JSON.stringify(w2) === JSON.stringify(w3),
    identicalToOne: JSON.stringify(w1) === JSON.stringify(w2),
    maxDiffToOne: w1.reduce((m, v, i) => Math.max(m, Math.abs(v - w2[i])), 0),
  };
}

if (new URLSearchParams(location.search).has('threads')) {
  window.threads = threads().catch((e) => ({ error: String(e && e.stack) }));
}

// ?infer: simdnet/infer against the full library in this engine (relaxed SIMD in Chromium):
// every layer type, from one row to more than one call's worth, bit for bit.
async function infer() {
  const simdnet = { Activation, BatchNorm, Dense, Dropout, Maxout, Residual, Sequential };
  const { loadInference } = await import('simdnet/infer');
  const { ROW_COUNTS, data, trainedZoo } = await import('../shared/zoo.js');
  const cases = [];
  let simd = null;
  for (const [name, model] of await trainedZoo(simdnet, 'wasm')) {
    const net = await loadInference(model.save());
    simd = [model.backendInfo().simd, net.simd];
    for (const rows of ROW_COUNTS) {
      const x = { data: data(rows, 5, rows), shape: [rows, 5] };
      const a = new Uint32Array(model.predict(x).data.buffer), b = new Uint32Array(net.predict(x).data.buffer);
      cases.push({ name, rows, values: a.length, differing: a.filter((v, i) => v !== b[i]).length });
    }
    model.dispose();
  }
  return { simd, cases };
}

if (new URLSearchParams(location.search).has('infer')) {
  window.inferred = infer().catch((e) => ({ error: String(e && e.stack) }));
}
