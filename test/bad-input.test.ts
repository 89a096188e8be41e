// Every rejected call names the argument, what was expected and what came, and
// leaves the model byte-for-byte as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { Activation, Dense, DisposedError, InputError, Maxout, Sequential } from '../src/index.js';

const X = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1, 1.1, 1.2]];
const LABELS = [0, 1, 1, 0];

function bytesOf(model: Sequential): Uint8Array[] {
  return model.getWeights().map((w) => new Uint8Array(w.buffer.slice(0)));
}

describe.each(['js', 'wasm'] as const)('bad input on %s', (backend) => {
  let classifier: Sequential;
  let regressor: Sequential;

  beforeAll(async () => {
    classifier = await Sequential.create([new Dense(3, 4, { activation: 'relu' }), new Dense(4, 2, { activation: 'softmax' })], {
      loss: 'crossEntropy',
      backend,
      seed: 1,
    });
    regressor = await Sequential.create([new Dense(3, 2)], { loss: 'mse', backend, seed: 1 });
    // A first fit plans the arena, so the rejected calls below meet a model in use.
    await classifier.fit(X, LABELS, { epochs: 2, batchSize: 2 });
  });

  const fitCases: [string, () => Sequential, () => Promise<unknown>, RegExp][] = [
    ['x with the wrong width', () => classifier, () => classifier.fit([[1, 2], [3, 4]], [0, 1]), /^x: expected 3 columns .*got 2/],
    ['rows of unequal length', () => classifier, () => classifier.fit([[1, 2, 3], [1, 2]], [0, 1]), /^x: expected every row to have 3 values.*got 2 values in row 1/],
    ['NaN in x', () => classifier, () => classifier.fit([[1, 2, 3], [1, NaN, 3]], [0, 1]), /^x: expected finite numbers, got NaN at row 1, column 1/],
    ['Infinity in x', () => classifier, () => classifier.fit({ data: [1, 2, Infinity], shape: [1, 3] }, [0]), /^x: expected finite numbers, got Infinity at row 0, column 2/],
    ['NaN in y', () => regressor, () => regressor.fit(X, [[1, 2], [3, NaN], [1, 1], [1, 1]]), /^y: expected finite numbers, got NaN at row 1, column 1/],
    ['a label out of range', () => classifier, () => classifier.fit(X, [0, 1, 2, 0]), /^y: expected class indices, integers in \[0, 1\], got 2 at row 2/],
    ['a negative label', () => classifier, () => classifier.fit(X, [0, -1, 1, 0]), /^y: expected class indices.*got -1 at row 1/],
    ['a non-integer label', () => classifier, () => classifier.fit(X, [0, 0.5, 1, 0]), /^y: expected class indices.*got 0.5 at row 1/],
    ['fewer labels than rows', () => classifier, () => classifier.fit(X, [0, 1]), /^y: expected 4 rows \(one per row of x\), got 2/],
    ['targets of the wrong width', () => regressor, () => regressor.fit(X, [[1], [2], [3], [4]]), /^y: expected 2 columns per row .*got 1/],
    ['empty x', () => classifier, () => classifier.fit([], []), /^x: expected at least one row, got an empty array/],
    ['an empty shaped x', () => classifier, () => classifier.fit({ data: [], shape: [0, 3] }, []), /^x: expected at least one row/],
    ['shape disagreeing with data', () => classifier, () => classifier.fit({ data: [1, 2, 3], shape: [2, 3] }, [0, 1]), /^x.data: expected 2×3 = 6 values .*got 3/],
    ['batch size 0', () => classifier, () => classifier.fit(X, LABELS, { batchSize: 0 }), /^batchSize: expected an integer ≥ 1, got 0/],
    ['a fractional batch size', () => classifier, () => classifier.fit(X, LABELS, { batchSize: 1.5 }), /^batchSize: expected an integer ≥ 1, got 1.5/],
    ['negative epochs', () => classifier, () => classifier.fit(X, LABELS, { epochs: -1 }), /^epochs: expected an integer ≥ 0, got -1/],
    ['a validation split of 1', () => classifier, () => classifier.fit(X, LABELS, { validationSplit: 1 }), /^validationSplit: expected a number in \[0, 1\), got 1/],
    ['a callback that is not a function', () => classifier, () => classifier.fit(X, LABELS, { callbacks: { onEpochEnd: 3 as never } }), /^callbacks.onEpochEnd: expected a function, got 3/],
  ];

  it.each(fitCases)('fit rejects %s and leaves the weights unchanged', async (_, model, call, message) => {
    const before = bytesOf(model());
    const error = await call().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect(bytesOf(model())).toEqual(before);
  });

  it('predict and evaluate reject a wrong width', () => {
    const before = bytesOf(classifier);
    expect(() => classifier.predict([[1, 2, 3, 4]])).toThrow(/^x: expected 3 columns per row \(the model's width\), got 4/);
    expect(() => classifier.evaluate(X, [0, 1, 5, 0])).toThrow(/^y: expected class indices, integers in \[0, 1\], got 5 at row 2/);
    expect(bytesOf(classifier)).toEqual(before);
  });

  it('predict names the first non-finite value wherever it sits', () => {
    const rows = X.map((r) => [...r]);
    rows[2][0] = NaN;
    expect(() => classifier.predict(rows)).toThrow(/^x: expected finite numbers, got NaN at row 2, column 0/);
    rows[2][0] = 1;
    rows[1][2] = -Infinity;
    expect(() => classifier.predict({ data: Float32Array.from(rows.flat()), shape: [4, 3] })).toThrow(/^x: expected finite numbers, got -Infinity at row 1, column 2/);
  });

  it('setWeights checks every array before writing any', () => {
    const before = bytesOf(classifier);
    const weights = classifier.getWeights();
    weights[0][0] = 42;
    weights[3] = new Float32Array(7);
    expect(() => classifier.setWeights(weights)).toThrow(/^weights\[3\] \(1.bias\): expected 2 numbers, got a Float32Array of length 7/);
    weights[3] = new Float32Array(2).fill(NaN);
    expect(() => classifier.setWeights(weights)).toThrow(/^weights\[3\] \(1.bias\): expected finite numbers within float32's range, got NaN at index 0/);
    expect(bytesOf(classifier)).toEqual(before);
  });

  it('a disposed model throws on every call', async () => {
    const model = await Sequential.create([new Dense(3, 1)], { loss: 'mse', backend });
    model.dispose();
    expect(model.disposed).toBe(true);
    expect(() => model.predict([[1, 2, 3]])).toThrow(DisposedError);
    expect(() => model.getWeights()).toThrow(/^model: expected a live model, got one whose dispose\(\) was called/);
    await expect(model.fit([[1, 2, 3]], [1])).rejects.toThrow(DisposedError);
    expect(() => model.evaluate([[1, 2, 3]], [1])).toThrow(DisposedError);
  });
});

describe('bad model definitions', () => {
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['an unknown activation', () => Sequential.create([new Dense(2, 2, { activation: 'swish' as never })], { loss: 'mse' }), /^Dense activation: expected one of linear, sigmoid, tanh, relu, leakyRelu, elu, softmax, got "swish"/],
    ['an unknown loss', () => Sequential.create([new Dense(2, 1)], { loss: 'hinge' as never }), /^loss: expected one of mse, crossEntropy, binaryCrossEntropy, got "hinge"/],
    ['an unknown backend', () => Sequential.create([new Dense(2, 1)], { loss: 'mse', backend: 'gpu' as never }), /^backend: expected 'wasm', 'js' or 'auto', got "gpu"/],
    ['cross-entropy without softmax', () => Sequential.create([new Dense(2, 3, { activation: 'relu' })], { loss: 'crossEntropy' }), /^loss 'crossEntropy': expected the last layer to be softmax over ≥ 2 outputs, got relu over 3/],
    ['binary cross-entropy without sigmoid', () => Sequential.create([new Dense(2, 1)], { loss: 'binaryCrossEntropy' }), /^loss 'binaryCrossEntropy': expected the last layer's activation to be sigmoid, got linear/],
    ['layers that do not chain', () => Sequential.create([new Dense(2, 3), new Dense(4, 1)], { loss: 'mse' }), /^layers\[1\] \(Dense 4→1\): expected an input of width 4, got 3/],
    ['an activation layer first', () => Sequential.create([new Activation('relu'), new Dense(2, 1)], { loss: 'mse' }), /^layers\[0\]: expected a layer that declares its input width/],
    ['a learning rate of 0', () => Sequential.create([new Dense(2, 1)], { loss: 'mse', optimizer: { type: 'sgd', lr: 0 } }), /^optimizer.lr: expected a number > 0 within float32's range, got 0/],
    ['a non-integer width', async () => new Dense(2.5, 1), /^Dense inputSize: expected an integer from 1 to 16,777,216, got 2.5/],
    ['one maxout piece', async () => new Maxout(2, 2, { pieces: 1 }), /^Maxout pieces: expected an integer from 2 to 16,777,216, got 1/],
    ['a negative leaky slope', async () => new Dense(2, 2, { activation: { name: 'leakyRelu', alpha: -1 } }), /^Dense activation.alpha: expected a number > 0 within float32's range, got -1/],
  ];

  it.each(cases)('rejects %s', async (_, call, message) => {
    const error = await Promise.resolve().then(call).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });

  it('a layer object serves one model only', async () => {
    const shared = new Dense(2, 1);
    await Sequential.create([shared], { loss: 'mse' });
    await expect(Sequential.create([shared], { loss: 'mse' })).rejects.toThrow(/^layers\[0\]: expected a new layer, got one that already belongs to a model/);
  });
});
