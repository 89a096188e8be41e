// simdnet through its public API, on either backend, built from the same spec as the peers.
import { Activation, BatchNorm, Dense, Dropout, Residual, Sequential } from 'simdnet';
import { loadInference } from 'simdnet/infer';

const LOSS = { crossEntropy: 'crossEntropy', mse: 'mse' };

/** The MLPs of W1–W4: one Dense layer per entry of spec.layers, each with its activation. */
function mlpLayers(spec) {
  let width = spec.inputs;
  return spec.layers.map(({ units, activation }) => {
    const layer = new Dense(width, units, { activation });
    width = units;
    return layer;
  });
}

/**
 * W5 (spec.blocks set): a linear Dense stem to the residual width, `blocks` residual blocks
 * h ← h + Dropout(ReLU(BatchNorm(Dense(h)))) with identity skips, and a softmax Dense head.
 */
function residualLayers(spec) {
  const { inputs, width, blocks, classes } = spec;
  const { momentum, epsilon } = spec.batchNorm;
  return [
    new Dense(inputs, width),
    ...Array.from({ length: blocks }, () =>
      new Residual([new Dense(width, width), new BatchNorm({ momentum, epsilon }), new Activation('relu'), new Dropout(spec.dropout)]),
    ),
    new Dense(width, classes, { activation: 'softmax' }),
  ];
}

/**
 * W5's Dense layers alone, for the share of a W5 step spent outside its products: the same
 * stem, widths and head, each block reduced to its Dense layer with the ReLU fused into it
 * (no BatchNorm, Dropout or skip); trained with plain SGD instead of Adam.
 */
function denseOnlyLayers(spec) {
  const { inputs, width, blocks, classes } = spec;
  return [
    new Dense(inputs, width),
    ...Array.from({ length: blocks }, () => new Dense(width, width, { activation: 'relu' })),
    new Dense(width, classes, { activation: 'softmax' }),
  ];
}

/** The rule a spec asks for: its `optimizer` object as given (Adam, a schedule), else plain SGD at spec.lr. */
function optimizerOf(spec) {
  if (!spec.optimizer) return { type: 'sgd', lr: spec.lr };
  const { type, lr, beta1, beta2, epsilon } = spec.optimizer;
  return type === 'adam' ? { type, lr, beta1, beta2, epsilon } : { type, lr };
}

function contender(backend, threads = 1, { id, label, denseOnly = false } = {}) {
  return {
    id: id ?? `simdnet-${backend}${threads > 1 ? `-${threads}t` : ''}`,
    label: label ?? `simdnet ${backend}${threads > 1 ? `, ${threads} threads` : ''}`,
    async create(spec) {
      const layers = spec.blocks ? (denseOnly ? denseOnlyLayers(spec) : residualLayers(spec)) : mlpLayers(spec);
      const inputs = spec.inputs;
      const model = await Sequential.create(layers, {
        loss: LOSS[spec.loss],
        optimizer: denseOnly ? { type: 'sgd', lr: spec.optimizer?.lr ?? spec.lr } : optimizerOf(spec),
        seed: 1234,
        backend,
        threads,
      });
      const info = model.backendInfo();
      if (info.backend !== backend) throw new Error(`simdnet ran ${info.backend}, not ${backend}: ${info.reason}`);
      if (info.threads !== threads) throw new Error(`simdnet ran ${info.threads} threads, not ${threads}: ${info.reason}`);
      let lastLoss = null;
      const notes = [];
      if (spec.blocks && !denseOnly) notes.push('Dense stem, 8 × Residual([Dense, BatchNorm, Activation relu, Dropout]) with identity skips, Dense softmax head; Adam with ε added to √v̂ (as TF.js and PyTorch)');
      if (denseOnly) notes.push("W5's ten Dense layers only (linear stem, ReLU fused into each block's Dense, softmax head), plain SGD; no BatchNorm, Dropout, skips or Adam — the reference for the non-dense share below");
      return {
        notes: { train: notes, infer: [] },
        prepare(data) {
          const x = { data: data.x, shape: [data.rows, data.cols] };
          const y = data.labels ?? { data: data.oneHot, shape: [data.rows, data.classes] };
          return { x, y };
        },
        async fit({ x, y }) {
          const history = await model.fit(x, y, { epochs: 1, batchSize: spec.batchSize, shuffle: true });
          lastLoss = history.history.loss[0];
        },
        /** The last epoch's mean training loss, as fit reported it. */
        epochLoss: () => lastLoss,
        predict(x, rows) {
          return model.predict({ data: x, shape: [rows, inputs] }).data;
        },
        // The linear memory is private; the issue asks for its size, so reach in and say so if it moved.
        heapBytes() {
          return model.engine?.kernels?.heap?.byteLength ?? null;
        },
        dispose() {
          model.dispose();
        },
      };
    },
  };
}

export const simdnetWasm = contender('wasm');
/** Large products shared with one worker thread (worker_threads, shared memory): both cores of the machine. */
export const simdnetWasm2t = contender('wasm', 2);
export const simdnetJs = contender('js');
/** W5 only: its Dense layers alone on simdnet-wasm, one thread, plain SGD (see denseOnlyLayers). */
export const simdnetWasmDenseOnly = contender('wasm', 1, { id: 'simdnet-wasm-dense', label: 'simdnet wasm, dense layers only', denseOnly: true });

/** W4 only: the W1 model saved by the trainer and loaded by simdnet/infer, the embedded-inference entry. */
export const simdnetInfer = {
  id: 'simdnet-infer',
  label: 'simdnet/infer',
  async create(spec) {
    const model = await Sequential.create(mlpLayers(spec), { loss: LOSS[spec.loss], optimizer: optimizerOf(spec), seed: 1234, backend: 'wasm' });
    const net = await loadInference(model.save());
    model.dispose();
    return {
      notes: { train: [], infer: [`the same model saved by the trainer and loaded with loadInference (forward-only build, ${net.simd})`] },
      predict: (x, rows) => net.predict({ data: x, shape: [rows, spec.inputs] }).data,
      dispose: () => net.dispose(),
    };
  },
};
