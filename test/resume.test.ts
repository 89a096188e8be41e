// Training resumed from a file saved with its optimizer state continues bit-identically
// to a run that never stopped: moments, step count (and with it a schedule's rate),
// dropout generators, running statistics and the shuffles of later fits all carry over.
import { describe, expect, it } from 'vitest';
import { BatchNorm, Dense, Dropout, ModelFormatError, Residual, Sequential, cosineDecay, loadModel, loadModelJSON } from '../src/index.js';
import { Random } from '../src/random.js';

const rng = new Random(31);
const X = Array.from({ length: 40 }, () => Array.from({ length: 4 }, () => rng.normal()));
const Y = X.map((r) => (r[0] * r[1] > 0 ? 1 : 0));

const make = (backend: 'js' | 'wasm', optimizer: object) =>
  Sequential.create(
    [new Dense(4, 8), new BatchNorm(), new Residual([new Dense(8, 8, { activation: 'relu' }), new Dropout(0.3)]), new Dense(8, 2, { activation: 'softmax' })],
    { loss: 'crossEntropy', optimizer: optimizer as never, seed: 8, backend },
  );

const bytesOf = (m: Sequential) => m.getWeights().map((w) => Array.from(new Uint8Array(w.buffer.slice(0))));
const fitOptions = { epochs: 3, batchSize: 7 };

describe.each(['js', 'wasm'] as const)('resuming on %s', (backend) => {
  it.each([
    ['Adam', { type: 'adam', lr: 0.01 }],
    ['SGD with Nesterov momentum and a cosine schedule', { type: 'sgd', lr: cosineDecay({ lr: 0.1, steps: 30, floor: 0.01 }), momentum: 0.9, nesterov: true }],
    ['RMSProp with momentum', { type: 'rmsprop', lr: 0.005, momentum: 0.5 }],
  ])('%s: save({ optimizer: true }), load, fit again = one uninterrupted run', async (_, optimizer) => {
    const straight = await make(backend, optimizer);
    await straight.fit(X, Y, fitOptions);
    const second = await straight.fit(X, Y, fitOptions);

    const first = await make(backend, optimizer);
    await first.fit(X, Y, fitOptions);
    for (const reload of [(m: Sequential) => loadModel(m.save({ optimizer: true }), { backend }), (m: Sequential) => loadModelJSON(JSON.stringify(m.toJSON({ optimizer: true })), { backend })]) {
      const resumed = await reload(first);
      const history = await resumed.fit(X, Y, fitOptions);
      expect(bytesOf(resumed)).toEqual(bytesOf(straight));
      expect(history).toEqual(second);
    }
  });

  it('without the optimizer state the run differs (the test can fail)', async () => {
    const straight = await make(backend, { type: 'adam', lr: 0.01 });
    await straight.fit(X, Y, fitOptions);
    await straight.fit(X, Y, fitOptions);
    const first = await make(backend, { type: 'adam', lr: 0.01 });
    await first.fit(X, Y, fitOptions);
    const resumed = await loadModel(first.save(), { backend });
    await resumed.fit(X, Y, fitOptions);
    expect(bytesOf(resumed)).not.toEqual(bytesOf(straight));
  });
});

it('a file whose training state disagrees with its optimizer is refused, naming the field', async () => {
  const model = await make('js', { type: 'adam' });
  const json = model.toJSON({ optimizer: true });
  expect(json.training!.moments.map((m) => m.name)).toEqual(['m', 'v']);
  const sgd = { ...json, optimizer: { type: 'sgd', lr: 0.1 } };
  await expect(loadModelJSON(sgd)).rejects.toThrow(new ModelFormatError('header.training.moments: expected 0 moments of the optimizer for the layers as configured, got 2'));
  const badWords = { ...json, training: { ...json.training!, generators: [{ name: '2.1.generator', words: [1, 2] }] } };
  await expect(loadModelJSON(badWords)).rejects.toThrow(/^header.training.generators\[0\]: expected "2.1.generator" with 16 words, got "2.1.generator" with 2/);
  await expect(loadModelJSON({ ...json, training: { ...json.training!, step: -1 } })).rejects.toThrow(/^header.training.step: expected an integer ≥ 0, got -1/);
  expect(() => model.save({ optimiser: true } as never)).toThrow(/^options: expected keys among \[optimizer\], got unknown key "optimiser"/);
});

describe.each(['js', 'wasm'] as const)('the moments in a file, on %s', (backend) => {
  // The file puts each parameter of a moment at the next 16-byte step, as the heap did
  // before its slots took whole cache lines: files from either layout read the same.
  it('hold each parameter at 16-byte steps: after one Adam step from zero, m = (1 − β1)·g there and 0 between', async () => {
    const model = await Sequential.create([new Dense(5, 3, { activation: 'tanh' }), new Dense(3, 2, { activation: 'softmax' })], { loss: 'crossEntropy', optimizer: { type: 'adam', lr: 0.01, beta1: 0.9 }, seed: 5, backend });
    const x = X.map((r) => [...r, r[0] - r[1]]), y = Y;
    const { gradients } = model.gradients(x, y);
    await model.fit(x, y, { epochs: 1, batchSize: x.length, shuffle: false });
    const json = model.toJSON({ optimizer: true });
    const m = json.weights[json.params.length + json.state!.length];
    // 15, 3, 6 and 2 values: 16 + 4 + 8 + 4 floats.
    expect(json.training!.moments[0].length).toBe(32);
    expect(m.length).toBe(32);
    let at = 0;
    gradients.forEach((g, i) => {
      g.forEach((gi, j) => expect(m[at + j], `${json.params[i].name}[${j}]`).toBeCloseTo(0.1 * gi, 6));
      const next = at + Math.ceil(g.length / 4) * 4;
      for (let j = at + g.length; j < next; j++) expect(m[j], `padding after ${json.params[i].name}`).toBe(0);
      at = next;
    });
    const again = await loadModelJSON(json, { backend });
    expect(again.toJSON({ optimizer: true }).weights).toEqual(json.weights);
  });
});
