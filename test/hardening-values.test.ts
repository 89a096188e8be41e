// Hostile values (issue 8): non-finite weights in files and JSON, training that
// diverges, and odd arguments whose messages must quote what was passed.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Dense, DivergenceError, InputError, ModelFormatError, ResourceError, Sequential, loadModel, loadModelJSON } from '../src/index.js';
import { LABELS, X, bytesOf, classifier, header, rejection } from './helpers/hardening.js';
import { rawModel } from './helpers/model-bytes.js';

describe('non-finite weights and divergence', () => {
  it('a NaN weight in a file is a ModelFormatError naming the parameter', async () => {
    const error = await rejection(() => loadModel(rawModel(JSON.stringify(header()), new Float32Array([0, NaN, 0, 0]))));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toBe('weights of header.params[0] ("0.kernel"): expected finite float32 values, got NaN at index 1');
  });

  it.each([
    ['null (a NaN written as JSON)', null],
    ['1e39 (beyond float32)', 1e39],
    ['a string', '0.5'],
    ['a bigint (found by the fuzzer)', 0n],
  ])('a JSON model whose weight is %s is a ModelFormatError naming the parameter', async (_, bad) => {
    const json = { ...header(), weights: [[0, bad, 0], [0]] };
    const error = await rejection(() => loadModelJSON(json as never));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(/^weights of "0.kernel": expected finite numbers within float32's range, got .* at index 1$/);
  });

  describe.each(['js', 'wasm'] as const)('on %s', (backend) => {
    const regression = () => Sequential.create([new Dense(3, 8, { activation: 'relu' }), new Dense(8, 1)], { loss: 'mse', backend, seed: 2, optimizer: { type: 'sgd', lr: 1e6 } });
    it.each([
      ['epochs inside one call', {}],
      ['slices with a per-epoch callback', { callbacks: { onEpochEnd() {} } }],
      ['one batch per call', { batchSize: 1, callbacks: { onBatchEnd() {} } }],
    ])('fit with lr 1e6 throws a DivergenceError (%s) and keeps the weights from before the refused step', async (_, options) => {
      const model = await regression();
      let last: ArrayLike<number>[] | null = null;
      const callbacks = 'callbacks' in options && 'onBatchEnd' in options.callbacks ? { onBatchEnd: () => void (last = model.getWeights()) } : (options as { callbacks?: object }).callbacks;
      const error = await rejection(() => model.fit(X, [1, 2, 3, 4], { epochs: 20, ...options, callbacks }));
      expect(error).toBeInstanceOf(DivergenceError);
      expect((error as Error).message).toMatch(/^fit: training diverged: the loss or the gradients became non-finite in epoch \d+, batch \d+ \(the model keeps its weights from before that step\); lower the learning rate \(it is 1000000\)$/);
      expect((error as DivergenceError).epoch).toBeGreaterThanOrEqual(0);
      // The guard refused the step inside the backend: nothing of it reached the weights.
      if (last) expect(model.getWeights()).toEqual(last);
      for (const w of model.getWeights()) expect(w.every(Number.isFinite)).toBe(true);
      expect(model.predict(X).data.every(Number.isFinite)).toBe(true);
      const reloaded = await loadModel(model.save());
      expect(reloaded.getWeights()).toEqual(model.getWeights());
    });

    it('weights made non-finite by the very last step are caught too', async () => {
      // One step whose loss (1e20) and gradient (2e20) are finite float32s but whose update (2e50) is not.
      const model = await Sequential.create([new Dense(1, 1)], { loss: 'mse', backend, optimizer: { type: 'sgd', lr: 1e30 } });
      model.setWeights([[1], [0]]);
      const error = await rejection(() => model.fit([[1e10]], [0], { epochs: 1 }));
      expect(error).toBeInstanceOf(DivergenceError);
      expect((error as Error).message).toMatch(/^fit: training diverged: the weights became non-finite in epoch 1;/);
    });
  });
});

describe('odd arguments get messages that quote what came', () => {
  it.each([
    ['setWeights with strings', async (m: Sequential) => m.setWeights(m.getWeights().map((w) => Array.from(w, String)) as never), /^weights\[0\] \(0.kernel\): expected finite numbers within float32's range, got "[-\d.e]+" at index 0/],
    ['setWeights with 1e39', async (m: Sequential) => m.setWeights(m.getWeights().map((w) => Array.from(w, () => 1e39))), /^weights\[0\] \(0.kernel\): expected finite numbers within float32's range, got 1e\+39 at index 0/],
    ['a bigint label', async (m: Sequential) => m.fit([[1, 2, 3]], [1n] as never), /^y: expected class indices, integers in \[0, 1\], got 1n \(a bigint\) at row 0/],
    ['a shape of strings', async (m: Sequential) => m.predict({ data: [1, 2, 3], shape: ['1', '3'] as never }), /^x.shape: expected \[rows, cols\] of non-negative integers, got \["1", "3"\]/],
    ['1e39 in x', async (m: Sequential) => m.predict([[1, 1e39, 3]]), /^x: expected finite numbers, got 1e\+39, beyond float32's range, at row 0, column 1/],
    ['1e39 in a Float64Array', async (m: Sequential) => m.fit({ data: new Float64Array([1, 2, -1e39]), shape: [1, 3] }, [0]), /^x: expected finite numbers, got -1e\+39, beyond float32's range, at row 0, column 2/],
    ['callbacks that are a string', async (m: Sequential) => m.fit([[1, 2, 3]], [1], { callbacks: 'abc' as never }), /^callbacks: expected an object with methods among \[onTrainBegin, .*\], got "abc"/],
    ['a one-hot row summing to 2', async (m: Sequential) => m.fit([[1, 2, 3]], [[1, 1]]), /^y: expected each row of class probabilities to sum to 1 for crossEntropy, got 2 at row 0/],
    ['a one-hot row summing to 0', async (m: Sequential) => m.evaluate([[1, 2, 3]], [[0, 0]]), /^y: expected each row of class probabilities to sum to 1 for crossEntropy, got 0 at row 0/],
    ['BigInt64Array data', async (m: Sequential) => m.predict({ data: new BigInt64Array(3) as never, shape: [1, 3] }), /^x.data: expected numbers, got a BigInt64Array of length 3 of bigints/],
    ['an unsafe seed', async (m: Sequential) => m.fit(X, LABELS, { seed: 2 ** 60 }), /^seed: expected an integer, got 1152921504606847000/],
  ])('%s', async (_, call, message) => {
    const model = await classifier('js');
    const before = bytesOf(model);
    const error = await rejection(() => call(model));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect(bytesOf(model)).toEqual(before);
  });

  it('sparse arrays are read by index, holes and all (found by the fuzzer)', async () => {
    // eslint-disable-next-line no-sparse-arrays
    await expect(Sequential.create([, new Dense(3, 1)] as never, { loss: 'mse' })).rejects.toThrow(new InputError('layers[0]: expected a layer (Dense, Activation, Maxout), got undefined'));
    const json = { ...header(), weights: new Array(2) };
    await expect(loadModelJSON(json as never)).rejects.toThrow(new ModelFormatError('weights of "0.kernel": expected 3 numbers, got undefined'));
  });

  it('soft targets that sum to one are accepted', async () => {
    const model = await classifier('js');
    await model.fit([[1, 2, 3], [3, 2, 1]], [[0.3, 0.7], [0.9, 0.1]]);
  });

  it('a Uint8Array or a matrix over a detached buffer is named as such', async () => {
    const model = await classifier('js');
    const bytes = model.save();
    structuredClone(bytes.buffer, { transfer: [bytes.buffer as ArrayBuffer] });
    await expect(loadModel(bytes)).rejects.toThrow(new ModelFormatError('bytes: expected a Uint8Array with its bytes, got one over a detached buffer'));
    const data = new Float32Array(3);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    expect(() => model.predict({ data, shape: [1, 3] })).toThrow(/^x: expected number\[\]\[\] or \{ data, shape: \[rows, cols\] \}, got an object with keys \["data", "shape"\]/);
  });

  it('errors keep their names as literals', () => {
    expect([new InputError('a'), new ModelFormatError('b'), new ResourceError('c'), new DivergenceError('d', 0, 'e')].map((e) => e.name)).toEqual([
      'InputError',
      'ModelFormatError',
      'ResourceError',
      'DivergenceError',
    ]);
  });

  it('threads work in a module evaluated with --input-type=module', async () => {
    const script = `
      import { Sequential, Dense } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
      const m = await Sequential.create([new Dense(2, 3), new Dense(3, 1)], { loss: 'mse', threads: 2, backend: 'wasm' });
      console.log(m.backendInfo().threads, m.predict([[1, 2]]).data.length);
      m.dispose();`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], (e, stdout, stderr) => (e ? reject(new Error(stderr)) : resolve(stdout))),
    );
    expect(out.trim()).toBe('2 1');
  });
});
