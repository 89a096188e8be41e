// TF.js layers on its wasm backend (the SIMD binary, loaded from node_modules) and on its cpu backend.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const WASM_DIR = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
const BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const LOSS = { crossEntropy: 'categoricalCrossentropy', mse: 'meanSquaredError' };

let wasmBinary = null;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Initialise the wasm backend once, recording the bytes it instantiates: matching
 * them against the three shipped binaries proves which one runs, not which one should.
 */
async function initWasm() {
  if (wasmBinary) return;
  setWasmPaths(WASM_DIR + '/');
  const known = new Map(BINARIES.map((name) => [sha256(readFileSync(join(WASM_DIR, name))), name]));
  const seen = [];
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = function (source, imports) {
    if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
      const bytes = ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
      seen.push(known.get(sha256(bytes)) ?? `unknown module (${bytes.length} bytes)`);
    }
    return instantiate.call(this, source, imports);
  };
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('TF.js could not initialise its wasm backend');
  } finally {
    WebAssembly.instantiate = instantiate;
  }
  wasmBinary = {
    instantiated: seen.join(', ') || 'not observed',
    simdDetected: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    threadsDetected: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
}

/** First use: initialise the backend (async) once. */
async function init(backend) {
  if (backend === 'wasm') await initWasm();
  else if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not initialise its ${backend} backend`);
}

/**
 * Several TF.js models share one engine in a suite, so every op selects its own
 * backend. Selecting an initialised backend completes synchronously in
 * tfjs-core 4.22 (setBackend awaits only a first initialisation); checked below.
 */
function activate(backend) {
  if (tf.getBackend() === backend) return;
  tf.setBackend(backend);
  if (tf.getBackend() !== backend) throw new Error(`TF.js stayed on ${tf.getBackend()}, expected ${backend}`);
}

/** Select (initialising once) one of TF.js's backends, for the ops that follow. */
export async function useTfjsBackend(backend) {
  await init(backend);
  activate(backend);
}

/**
 * The handle a contender returns for a compiled TF.js layers model: data as tensors, one
 * `fit` epoch per op, predict as users call it. Shared by the MLPs here and the W5 peer.
 */
export function layersHandle(model, backend, spec) {
  const tensors = [];
  let lastLoss = null;
  return {
    notes: { train: [], infer: [] },
    prepare(data) {
      activate(backend);
      const x = tf.tensor2d(data.x, [data.rows, data.cols]);
      const y = tf.tensor2d(data.oneHot, [data.rows, data.classes]);
      tensors.push(x, y);
      return { x, y };
    },
    async fit({ x, y }) {
      activate(backend);
      const history = await model.fit(x, y, { epochs: 1, batchSize: spec.batchSize, shuffle: true, verbose: 0 });
      lastLoss = history.history.loss[0];
    },
    /** The last epoch's mean training loss, as fit reported it. */
    epochLoss: () => lastLoss,
    // Sync on purpose, as users call it: tensor in, predict, read back, free.
    predict(x, rows) {
      activate(backend);
      return tf.tidy(() => model.predict(tf.tensor2d(x, [rows, spec.inputs])).dataSync());
    },
    dispose() {
      tensors.forEach((t) => t.dispose());
      model.dispose();
    },
  };
}

export function tfjsInfo(backend) {
  return backend === 'wasm' ? { wasmBinary } : {};
}

/** tf.train.adam with the spec's hyperparameters when it asks for Adam, else tf.train.sgd at spec.lr. */
function optimizerOf(spec) {
  const o = spec.optimizer;
  if (!o) return tf.train.sgd(spec.lr);
  if (o.type === 'adam') return tf.train.adam(o.lr, o.beta1, o.beta2, o.epsilon);
  if (o.type === 'sgd' && typeof o.lr === 'number') return tf.train.sgd(o.lr);
  throw new Error(`TF.js contender: unsupported optimizer ${JSON.stringify(o)}`);
}

function contender(backend) {
  return {
    id: `tfjs-${backend}`,
    label: `TF.js ${backend}`,
    info: () => tfjsInfo(backend),
    async create(spec) {
      await useTfjsBackend(backend);
      const model = tfl.sequential();
      spec.layers.forEach(({ units, activation }, i) => {
        model.add(tfl.layers.dense(i === 0 ? { units, activation, inputShape: [spec.inputs] } : { units, activation }));
      });
      model.compile({ optimizer: optimizerOf(spec), loss: LOSS[spec.loss] });
      return layersHandle(model, backend, spec);
    },
  };
}

export const tfjsWasm = contender('wasm');
export const tfjsCpu = contender('cpu');
