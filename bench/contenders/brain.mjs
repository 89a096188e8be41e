// brain.js 1.6.1 NeuralNetwork: its closest honest equivalent of each spec, with every deviation stated.
import brain from 'brain.js';

/** brain.js rejects momentum 0 (its validator wants 0 < m < 1): this is as close to plain SGD as it allows. */
const MOMENTUM = 1e-9;

function trainingNotes(spec) {
  const notes = [];
  const activations = new Set(spec.layers.map((l) => l.activation));
  if (activations.size > 1 || !activations.has('sigmoid')) {
    notes.push(`one activation for every layer: sigmoid throughout (spec: ${spec.layers.map((l) => l.activation).join(' → ')})`);
  }
  if (spec.loss !== 'mse') notes.push('no softmax/cross-entropy: sigmoid outputs trained with MSE on one-hot targets');
  if (spec.batchSize !== 1) notes.push(`no minibatches: per-sample SGD (spec: batch ${spec.batchSize})`);
  notes.push(`momentum ${MOMENTUM} (0 is rejected by its validator); its error term is (t − o), the gradient of ½·MSE: half of MSE's step at the same lr`);
  return notes;
}

function inferenceNotes(spec) {
  const names = spec.layers.map((l) => l.activation);
  const notes = names.every((a) => a === 'sigmoid') ? [] : [`sigmoid throughout (spec: ${names.join(' → ')})`];
  notes.push('no batched predict: a batch is one run() call per row');
  return notes;
}

export const brainJs = {
  id: 'brain.js',
  label: 'brain.js',
  info() {
    return {};
  },
  async create(spec) {
    const net = new brain.NeuralNetwork({ hiddenLayers: spec.layers.slice(0, -1).map((l) => l.units), activation: 'sigmoid' });
    const options = { iterations: 1, learningRate: spec.lr, momentum: MOMENTUM, log: false };
    const outputs = spec.layers[spec.layers.length - 1].units;
    // Sizes come from the first training row: one step on zeros builds the net.
    net.train([{ input: new Array(spec.inputs).fill(0), output: new Array(outputs).fill(0) }], options);
    return {
      notes: { train: trainingNotes(spec), infer: inferenceNotes(spec) },
      // Plain arrays: brain.js 1.6.1 treats typed arrays as lookup-table objects.
      prepare(data) {
        const rows = [];
        for (let r = 0; r < data.rows; r++) {
          rows.push({
            input: Array.from(data.x.subarray(r * data.cols, (r + 1) * data.cols)),
            output: Array.from(data.oneHot.subarray(r * data.classes, (r + 1) * data.classes)),
          });
        }
        return rows;
      },
      fit(rows) {
        net.train(rows, options);
      },
      predict(x, rows) {
        const out = new Float32Array(rows * outputs);
        for (let r = 0; r < rows; r++) out.set(net.run(x.subarray(r * spec.inputs, (r + 1) * spec.inputs)), r * outputs);
        return out;
      },
      dispose() {},
    };
  },
};
