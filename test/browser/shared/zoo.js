// Models of every layer type the trainer saves, for the inference entry's tests in Node
// and in Chromium (test/infer.test.ts, the Vite app's ?infer mode): each trained for a
// few epochs on seeded data, so batch-norm statistics and weights are no longer their
// starting values. `lib` is the simdnet namespace the caller imported.

/** Deterministic numbers in (−2, 2) from the index: the same data in every engine. */
export function data(rows, cols, salt) {
  return Float32Array.from({ length: rows * cols }, (_, i) => 2 * Math.sin(i * 1.37 + salt * 0.71) * Math.cos(i * 0.11 + salt));
}

export function zoo(lib) {
  const { Dense, Activation, Maxout, Dropout, BatchNorm, Residual } = lib;
  return [
    ['every Dense activation', 'crossEntropy', () => [
      new Dense(5, 7, { activation: 'sigmoid' }), new Dense(7, 6, { activation: 'tanh' }), new Dense(6, 9, { activation: 'relu' }),
      new Dense(9, 5, { activation: { name: 'leakyRelu', alpha: 0.2 } }), new Dense(5, 6, { activation: { name: 'elu', alpha: 0.7 } }),
      new Dense(6, 3), new Dense(3, 4, { activation: 'softmax' }),
    ]],
    ['Maxout and Activation', 'binaryCrossEntropy', () => [new Maxout(5, 6, { pieces: 3 }), new Activation('tanh'), new Dense(6, 1, { activation: 'sigmoid' })]],
    ['BatchNorm folded and not, Dropout', 'mse', () => [
      new Dense(5, 33), new BatchNorm(), new Activation('relu'), new Dense(33, 17, { activation: 'relu' }), new BatchNorm({ epsilon: 0.01 }),
      new Dropout(0.2), new Dense(17, 2), new Dropout(0.1),
    ]],
    ['residual blocks, nested, with a projection', 'crossEntropy', () => [
      new Dense(5, 20, { activation: 'relu' }),
      new Residual([new Dense(20, 20), new BatchNorm(), new Activation('relu'), new Dropout(0.1)]),
      new Residual([new Dense(20, 12, { activation: 'elu' }), new Maxout(12, 8, { pieces: 2 })], { projection: true }),
      new Residual([new Residual([new Dense(8, 8, { activation: 'tanh' })]), new Dropout(0.3)]),
      new BatchNorm(), new Dense(8, 3, { activation: 'softmax' }),
    ]],
    ['a residual block first, a batch norm after an activation', 'crossEntropy', () => [
      new Residual([new Dense(5, 5, { activation: 'relu' })]), new BatchNorm(), new Dense(5, 2, { activation: 'softmax' }),
    ]],
    ['wide layers (packed products, a folded 600×520)', 'crossEntropy', () => [
      new Dense(5, 600, { activation: 'relu' }), new Dense(600, 520), new BatchNorm(), new Activation('relu'), new Dense(520, 10, { activation: 'softmax' }),
    ]],
  ];
}

/** Targets for `loss` and a model's output width. */
function targets(loss, rows, width) {
  if (loss === 'mse') return { data: data(rows, width, 9), shape: [rows, width] };
  if (loss === 'binaryCrossEntropy') return Int32Array.from({ length: rows }, (_, i) => (Math.sin(i * 2.1) > 0 ? 1 : 0));
  return Int32Array.from({ length: rows }, (_, i) => Math.floor((Math.sin(i * 1.3) + 1) * 0.5 * width) % width);
}

/** Each model of the zoo, built on `backend` and trained a little: [name, model]. */
export async function trainedZoo(lib, backend) {
  const rows = 96;
  const out = [];
  for (const [name, loss, layers] of zoo(lib)) {
    const model = await lib.Sequential.create(layers(), { loss, optimizer: { type: 'adam', lr: 0.01 }, seed: 5, backend });
    await model.fit({ data: data(rows, 5, 1), shape: [rows, 5] }, targets(loss, rows, model.outputSize), { epochs: 3, batchSize: 16 });
    out.push([name, model]);
  }
  return out;
}

/** Row counts that cover one row, the 4-row blocks and their tails, and more than one 256-row call. */
export const ROW_COUNTS = [1, 2, 3, 4, 5, 17, 300];
