// W5: a deep residual MLP trained with Adam. This file holds its spec, its FLOP count, the
// workload and its peer models, built the same way on TF.js layers (wasm and cpu backends) and
// on jax-js; simdnet's model is bench/contenders/simdnet.mjs (the branch for spec.blocks).
//
//   input 784
//   → Dense 256, linear (the stem: projects the input to the residual width; no activation,
//     no skip — the input is 784 wide, so no identity skip can go around it)
//   → 8 × residual block, each:  h ← h + Dropout₀.₁(ReLU(BatchNorm(Dense₂₅₆(h))))
//   → Dense 10, softmax;  categorical cross-entropy;  Adam;  batch 128
//
// How "a residual skip around each pair" is read: the skip goes around each whole
// Dense + BatchNorm + ReLU + Dropout block (one Dense per block), and is the identity — the
// block's input added to the block's output, with no projection (both are 256 wide) and
// nothing applied after the sum. The 8 blocks hold 8 Dense 256→256 layers; with the stem and
// the head the net has 10 Dense layers. Dense layers keep their bias (Keras' default, though
// BatchNorm makes it redundant); BatchNorm uses Keras' defaults (momentum 0.99, ε 1e-3, learned
// scale and offset), normalises with the batch's mean and biased variance while training and
// with the moving averages in inference; dropout is inverted (kept units scaled by 1/0.9) and
// off in inference. Weights are Glorot-uniform, biases and offsets 0, scales 1 (Keras' defaults).
//
// Adam: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7 (Keras' values), applied as TF.js applies it:
// p ← p − lr · m̂ / (√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ). Keras proper puts ε on the
// uncorrected √v (an ε·√(1−β2ᵗ) difference); optax and TF.js agree with the form used here.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { blockUntilReady, jit, nn, numpy as np, random, tree, valueAndGrad } from '@jax-js/jax';
import { layersHandle, tfjsInfo, useTfjsBackend } from '../contenders/tfjs.mjs';
import { JAXJS_VERSION, batcher, crossEntropy, glorotUniform, jaxjsInfo, keys, lossLog, prepareRows, useDevice } from '../contenders/jaxjs.mjs';
import { classification } from '../data.mjs';
import { runTraining } from './training.mjs';

export const W5_SPEC = {
  inputs: 784,
  width: 256,
  blocks: 8,
  classes: 10,
  batchNorm: { momentum: 0.99, epsilon: 1e-3 },
  dropout: 0.1,
  loss: 'crossEntropy',
  optimizer: { type: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  batchSize: 128,
};

const SEED = 1234;

/** Dense products (in·out) of the stem, the blocks and the head. */
const PRODUCTS = [W5_SPEC.inputs * W5_SPEC.width, ...Array(W5_SPEC.blocks).fill(W5_SPEC.width * W5_SPEC.width), W5_SPEC.width * W5_SPEC.classes];
/** W2's useful-work count: 2·in·out forward, 2·in·out dW, 2·in·out dX but for the first layer. BatchNorm, dropout, adds and Adam not counted. */
export const W5_FLOPS_PER_SAMPLE = PRODUCTS.reduce((sum, p, i) => sum + (i === 0 ? 4 : 6) * p, 0);

function tfjsW5(backend) {
  return {
    id: `tfjs-${backend}`,
    label: `TF.js ${backend}`,
    info: () => tfjsInfo(backend),
    async create(spec) {
      await useTfjsBackend(backend);
      const input = tfl.input({ shape: [spec.inputs] });
      let h = tfl.layers.dense({ units: spec.width }).apply(input);
      for (let i = 0; i < spec.blocks; i++) {
        let t = tfl.layers.dense({ units: spec.width }).apply(h);
        t = tfl.layers.batchNormalization({ momentum: spec.batchNorm.momentum, epsilon: spec.batchNorm.epsilon }).apply(t);
        t = tfl.layers.activation({ activation: 'relu' }).apply(t);
        t = tfl.layers.dropout({ rate: spec.dropout }).apply(t);
        h = tfl.layers.add().apply([h, t]);
      }
      const output = tfl.layers.dense({ units: spec.classes, activation: 'softmax' }).apply(h);
      const model = tfl.model({ inputs: input, outputs: output });
      const { lr, beta1, beta2, epsilon } = spec.optimizer;
      model.compile({ optimizer: tf.train.adam(lr, beta1, beta2, epsilon), loss: 'categoricalCrossentropy' });
      const handle = layersHandle(model, backend, spec);
      handle.notes.train.push('tf.model (functional API): dense, batchNormalization, activation relu, dropout, add; tf.train.adam');
      return handle;
    },
  };
}

/** The same network in jax-js: a parameter tree, BatchNorm's moving averages beside it, one jit-compiled Adam step. */
export const jaxjsW5 = {
  id: 'jax-js',
  label: 'jax-js wasm',
  info: jaxjsInfo,
  async create(spec) {
    useDevice();
    const { width, blocks, classes } = spec;
    const { momentum, epsilon: bnEps } = spec.batchNorm;
    const keep = 1 - spec.dropout;
    const { lr, beta1, beta2, epsilon } = spec.optimizer;
    const ks = keys(SEED, blocks + 2);
    const dense = (key, fanIn, fanOut) => ({ w: glorotUniform(key, fanIn, fanOut), b: np.zeros([fanOut]) });
    let params = {
      stem: dense(ks[0], spec.inputs, width),
      blocks: Array.from({ length: blocks }, (_, i) => ({ ...dense(ks[i + 1], width, width), gamma: np.ones([width]), beta: np.zeros([width]) })),
      head: dense(ks[blocks + 1], width, classes),
    };
    let moving = Array.from({ length: blocks }, () => ({ mean: np.zeros([width]), var: np.ones([width]) }));
    let m = tree.map((p) => np.zerosLike(p), tree.ref(params));
    let v = tree.map((p) => np.zerosLike(p), tree.ref(params));

    // Logits. Training: batch statistics (returned, for the moving averages) and dropout from
    // `key`; inference (`key` null): the moving averages `stats`, no dropout.
    const forward = (p, x, key, stats) => {
      const train = key !== null;
      const dropKeys = train ? random.split(key, blocks) : null;
      const batchStats = [];
      let h = np.dot(x, p.stem.w).add(p.stem.b);
      p.blocks.forEach((blk, i) => {
        let t = np.dot(h.ref, blk.w).add(blk.b);
        let mean, variance;
        if (train) {
          mean = np.mean(t.ref, 0);
          variance = np.var_(t.ref, 0);
          batchStats.push({ mean: mean.ref, var: variance.ref });
        } else {
          ({ mean, var: variance } = stats[i]);
        }
        t = t.sub(mean).div(np.sqrt(variance.add(bnEps))).mul(blk.gamma).add(blk.beta);
        t = nn.relu(t);
        if (train) t = np.where(random.bernoulli(dropKeys.ref.slice(i), keep, t.shape), t.mul(1 / keep), 0);
        h = h.add(t);
      });
      dropKeys?.dispose();
      return [np.dot(h, p.head.w).add(p.head.b), batchStats];
    };
    const loss = (p, x, y, key) => {
      const [logits, batchStats] = forward(p, x, key, null);
      return [crossEntropy(logits, y), batchStats];
    };
    // c1 = 1 − β1ᵗ and c2 = 1 − β2ᵗ come in as arrays, so every step reuses one compiled program.
    const step = jit((p, m, v, moving, x, y, key, c1, c2) => {
      const [[l, batchStats], g] = valueAndGrad(loss, { hasAux: true })(tree.ref(p), x, y, key);
      const m2 = tree.map((mi, gi) => mi.mul(beta1).add(gi.mul(1 - beta1)), m, tree.ref(g));
      const v2 = tree.map((vi, gi) => vi.mul(beta2).add(np.square(gi).mul(1 - beta2)), v, g);
      const p2 = tree.map(
        (pi, mi, vi) => pi.sub(mi.div(c1.ref).div(np.sqrt(vi.div(c2.ref)).add(epsilon)).mul(lr)),
        p, tree.ref(m2), tree.ref(v2),
      );
      c1.dispose();
      c2.dispose();
      const moving2 = moving.map((s, i) => ({
        mean: s.mean.mul(momentum).add(batchStats[i].mean.mul(1 - momentum)),
        var: s.var.mul(momentum).add(batchStats[i].var.mul(1 - momentum)),
      }));
      return [l, p2, m2, v2, moving2];
    });
    const infer = jit((p, stats, x) => nn.softmax(forward(p, x, null, stats)[0], -1));
    const log = lossLog();
    let t = 0;
    await blockUntilReady(params);
    return {
      notes: {
        train: [`jax-js ${JAXJS_VERSION}: BatchNorm, dropout and Adam written on jax-js arrays (no layers API; @jax-js/optax not on the registry), one jit-compiled step; each step's loss read back`],
        infer: [],
      },
      prepare(data) {
        return batcher(prepareRows(data), spec.batchSize);
      },
      async fit(batches) {
        useDevice();
        log.reset();
        batches((x, y) => {
          t++;
          const c1 = np.array(1 - beta1 ** t), c2 = np.array(1 - beta2 ** t);
          const [l, ...next] = step(params, m, v, moving, x, y, random.key(SEED + t), c1, c2);
          [params, m, v, moving] = next;
          log.push(l);
        });
        await blockUntilReady([params, m, v, moving]);
      },
      epochLoss: () => log.mean(),
      predict(x, rows) {
        useDevice();
        return infer(tree.ref(params), tree.ref(moving), np.array(x, { shape: [rows, spec.inputs] })).dataSync();
      },
      dispose() {
        tree.dispose([params, m, v, moving]);
        step.dispose();
        infer.dispose();
      },
    };
  },
};

export const tfjsWasmW5 = tfjsW5('wasm');
export const tfjsCpuW5 = tfjsW5('cpu');
export const W5_PEERS = [tfjsWasmW5, tfjsCpuW5, jaxjsW5];

/**
 * Rows per op, sized so that one op (one epoch) takes about 1–3 s here: simdnet-wasm trains
 * ~4,500 samples/s, jax-js ~2,000, TF.js wasm ~450, simdnet-js ~230, TF.js cpu ~80 (shared
 * 2-core EPYC, Node 20; up to ~2× slower in the host's slow stretches). Quick runs: 16 rows,
 * one short batch.
 */
const ROWS = { 'simdnet-wasm': 6144, 'simdnet-wasm-dense': 6144, 'simdnet-wasm-2t': 6144, 'jax-js': 3072, 'tfjs-wasm': 768, 'simdnet-js': 384, 'tfjs-cpu': 128 };
const DATA_ROWS = Math.max(...Object.values(ROWS));

/** The workload, for runTraining. */
export const w5 = {
  id: 'W5',
  suite: 'W5 residual MLP 784-256x8-10 Adam',
  title: 'Residual MLP 784→256 → 8 × [Dense 256, BatchNorm, ReLU, Dropout 0.1, + identity skip] → 10 softmax, cross-entropy, Adam lr 1e-3, batch 128 — training',
  unit: 'samples/s',
  spec: W5_SPEC,
  data: (quick) => classification(quick ? 16 : DATA_ROWS, 784, 10, 505),
  rows: (id, quick) => (quick ? 16 : ROWS[id] ?? 1024),
  maxTime: 0,
  run: (contenders, opts) => runTraining(w5, contenders, opts),
};
