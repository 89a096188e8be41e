// simdnet through its public API, on either backend, built from the same spec as the peers.
import { Dense, Sequential } from 'simdnet';

const LOSS = { crossEntropy: 'crossEntropy', mse: 'mse' };

function contender(backend, threads = 1) {
  return {
    id: `simdnet-${backend}${threads > 1 ? `-${threads}t` : ''}`,
    label: `simdnet ${backend}${threads > 1 ? `, ${threads} threads` : ''}`,
    async create(spec) {
      let width = spec.inputs;
      const layers = spec.layers.map(({ units, activation }) => {
        const layer = new Dense(width, units, { activation });
        width = units;
        return layer;
      });
      const model = await Sequential.create(layers, {
        loss: LOSS[spec.loss],
        optimizer: { type: 'sgd', lr: spec.lr },
        seed: 1234,
        backend,
        threads,
      });
      const info = model.backendInfo();
      if (info.backend !== backend) throw new Error(`simdnet ran ${info.backend}, not ${backend}: ${info.reason}`);
      if (info.threads !== threads) throw new Error(`simdnet ran ${info.threads} threads, not ${threads}: ${info.reason}`);
      return {
        notes: { train: [], infer: [] },
        prepare(data) {
          const x = { data: data.x, shape: [data.rows, data.cols] };
          const y = data.labels ?? { data: data.oneHot, shape: [data.rows, data.classes] };
          return { x, y };
        },
        async fit({ x, y }) {
          await model.fit(x, y, { epochs: 1, batchSize: spec.batchSize, shuffle: true });
        },
        predict(x, rows) {
          return model.predict({ data: x, shape: [rows, spec.inputs] }).data;
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
