// jax-js (@jax-js/jax) on its wasm device: the newest JS library that trains on WebAssembly.
// It is JAX for JavaScript — arrays, grad, jit — with no layers API, so a model here is what a
// jax-js user writes: parameters in a tree, a loss function, and one jit-compiled training step
// (valueAndGrad and the parameter update traced together, so jax-js fuses them into its
// generated wasm kernels). Batches are gathered in JS from the shuffled order and copied in,
// one array per step.
//
// @jax-js/optax (its optimizer package) is not on the npm registry this bench installs from
// (404 for every version), so the updates are written below on jax-js arrays, following
// optax's sgd and adam: p ← p − lr·g; Adam m̂/(√v̂ + ε) with bias-corrected moments.
//
// Arrays are reference-counted (`.ref` keeps one alive when passed on; every call consumes its
// arguments): each step consumes the previous parameters and returns the new ones.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defaultDevice, jit, nn, numpy as np, random, tree, valueAndGrad, blockUntilReady } from '@jax-js/jax';
import { rng } from '../data.mjs';

const PACKAGE_DIR = join(dirname(createRequire(import.meta.url).resolve('@jax-js/jax')), '..');
export const JAXJS_VERSION = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')).version;
const DEVICE = 'wasm';
const SEED = 1234;

// A module with one f32x4.relaxed_madd: jax-js fuses with it where it validates (Node 20 needs a flag).
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11]);

/** What jax-js runs on in this process: its wasm device, on how many threads, with which SIMD. */
export function jaxjsInfo() {
  // jax-js spreads kernels over Web Workers only when SharedArrayBuffer and a global `Worker`
  // exist; Node 20 has no global Worker (worker_threads is a different API), so it runs one thread.
  const workers = typeof SharedArrayBuffer !== 'undefined' && typeof globalThis.Worker !== 'undefined';
  return {
    version: JAXJS_VERSION,
    device: DEVICE,
    threads: workers ? 'Web Workers (one per core)' : 1,
    relaxedSimd: WebAssembly.validate(RELAXED_PROBE),
    optimizers: 'SGD/Adam written in the bench (optax semantics): @jax-js/optax is not on the registry',
  };
}

export function useDevice() {
  if (defaultDevice() !== DEVICE) defaultDevice(DEVICE);
}

/** Keras' default for dense kernels (glorotUniform), from a jax-js PRNG key; consumes the key. */
export function glorotUniform(key, fanIn, fanOut) {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return random.uniform(key, [fanIn, fanOut], { minval: -limit, maxval: limit });
}

/** `count` fresh keys from one seed, as separate arrays. */
export function keys(seed, count) {
  const all = random.split(random.key(seed), count);
  const out = [];
  for (let i = 0; i < count; i++) out.push(all.ref.slice(i));
  all.dispose();
  return out;
}

/** Mean categorical cross-entropy of softmax(logits) against one-hot targets; consumes both. */
export function crossEntropy(logits, y) {
  return nn.logSoftmax(logits, -1).mul(y).sum().mul(-1 / y.shape[0]);
}

const ACTIVATIONS = {
  relu: (h) => nn.relu(h),
  sigmoid: (h) => nn.sigmoid(h),
  linear: (h) => h,
};

/**
 * Shuffled minibatches over the rows of `data` (Float32Arrays x and targets), gathered into
 * reused buffers: `each(x, y)` gets a fresh pair of jax-js arrays per batch (a last, short
 * batch included). The order comes from a seeded generator kept across epochs.
 */
export function batcher(data, batchSize, seed = SEED) {
  const next = rng(seed);
  const order = Int32Array.from({ length: data.rows }, (_, i) => i);
  const { cols, classes } = data;
  const xb = new Float32Array(batchSize * cols);
  const yb = new Float32Array(batchSize * classes);
  return (each) => {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let start = 0; start < order.length; start += batchSize) {
      const n = Math.min(batchSize, order.length - start);
      for (let r = 0; r < n; r++) {
        const o = order[start + r];
        xb.set(data.x.subarray(o * cols, (o + 1) * cols), r * cols);
        yb.set(data.targets.subarray(o * classes, (o + 1) * classes), r * classes);
      }
      each(np.array(xb.subarray(0, n * cols), { shape: [n, cols] }), np.array(yb.subarray(0, n * classes), { shape: [n, classes] }));
    }
  };
}

/** The data handle every jax-js model trains on: plain typed arrays, batched per step. */
export function prepareRows(data) {
  return { x: data.x, targets: data.oneHot, rows: data.rows, cols: data.cols, classes: data.classes };
}

/**
 * The batch losses of the last epoch. Each is read back right after its step, as a user
 * logging the loss would: jax-js is lazy, and a read realises the step. Left unread, the
 * pending steps pile up (here ~3× slower and hundreds of MiB more for one W1 epoch).
 */
export function lossLog() {
  let sum = 0, n = 0;
  return {
    push(l) {
      sum += l.dataSync()[0];
      n++;
    },
    reset() {
      sum = 0;
      n = 0;
    },
    mean: () => (n ? sum / n : null),
  };
}

function checkSpec(spec) {
  const last = spec.layers[spec.layers.length - 1];
  for (const [i, { activation }] of spec.layers.entries()) {
    const ok = i === spec.layers.length - 1 && spec.loss === 'crossEntropy' ? activation === 'softmax' : activation in ACTIVATIONS;
    if (!ok) throw new Error(`jax-js contender: unsupported activation ${activation} in layer ${i}`);
  }
  if (spec.loss !== 'crossEntropy' && spec.loss !== 'mse') throw new Error(`jax-js contender: unsupported loss ${spec.loss}`);
  if (spec.loss === 'mse' && last.activation === 'softmax') throw new Error('jax-js contender: softmax needs crossEntropy');
}

/** The MLPs of W1/W2 (dense layers, per-layer activation, cross-entropy or MSE, plain SGD). */
export const jaxjs = {
  id: 'jax-js',
  label: 'jax-js wasm',
  info: jaxjsInfo,
  async create(spec) {
    checkSpec(spec);
    useDevice();
    const sizes = [spec.inputs, ...spec.layers.map((l) => l.units)];
    const ks = keys(SEED, spec.layers.length);
    let params = spec.layers.map((_, i) => ({ w: glorotUniform(ks[i], sizes[i], sizes[i + 1]), b: np.zeros([sizes[i + 1]]) }));
    const last = spec.layers.length - 1;
    // Logits for cross-entropy (softmax is folded into the loss), outputs for MSE.
    const forward = (p, x) => {
      let h = x;
      p.forEach(({ w, b }, i) => {
        h = np.dot(h, w).add(b);
        if (i < last || spec.loss === 'mse') h = ACTIVATIONS[spec.layers[i].activation](h);
      });
      return h;
    };
    const loss = (p, x, y) => {
      if (spec.loss === 'crossEntropy') return crossEntropy(forward(p, x), y);
      return np.square(forward(p, x).sub(y)).mean();
    };
    const lr = spec.lr;
    const step = jit((p, x, y) => {
      const [l, g] = valueAndGrad(loss)(tree.ref(p), x, y);
      return [l, tree.map((w, d) => w.sub(d.mul(lr)), p, g)];
    });
    const infer = jit((p, x) => {
      const out = forward(p, x);
      return spec.loss === 'crossEntropy' ? nn.softmax(out, -1) : out;
    });
    const log = lossLog();
    await blockUntilReady(params);
    return {
      notes: {
        train: [`jax-js ${JAXJS_VERSION} on its wasm device, one thread (Node 20 has no Web Worker global); no layers API: a jit-compiled step (valueAndGrad + SGD update) over a parameter tree, Glorot-uniform weights; batches gathered in JS and copied in per step; each step's loss read back (a read realises jax-js's lazy arrays)`],
        infer: [],
      },
      prepare(data) {
        return batcher(prepareRows(data), spec.batchSize);
      },
      async fit(batches) {
        useDevice();
        log.reset();
        batches((x, y) => {
          const [l, next] = step(params, x, y);
          params = next;
          log.push(l);
        });
        await blockUntilReady(params);
      },
      epochLoss: () => log.mean(),
      predict(x, rows) {
        useDevice();
        return infer(tree.ref(params), np.array(x, { shape: [rows, spec.inputs] })).dataSync();
      },
      dispose() {
        tree.dispose(params);
        step.dispose();
        infer.dispose();
      },
    };
  },
};
