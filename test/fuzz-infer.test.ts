// The inference entry's reader under the full reader's fuzzing (test/fuzz-reader.test.ts):
// random bytes, damaged valid files, hostile headers. Each case ends in a
// ModelFormatError that names the field or in a model, never another error or seconds
// of work; and the two readers are held to each other: what the full one loads, this one
// loads and predicts bit for bit; what it refuses, this one refuses too, unless only the
// parts inference does not read (loss, optimizer, training state) were at fault.
import { beforeAll, describe, expect, it } from 'vitest';
import { Activation, BatchNorm, Dense, Dropout, Maxout, ModelFormatError, Residual, Sequential, loadModel } from '../src/index.js';
import { loadInference } from '../src/infer/index.js';
import { outcome } from './fuzz/outcome.js';
import { damagedFiles, hostileHeaders, randomBytes } from './fuzz/reader-cases.js';
import { FUZZ_TIMEOUT } from './fuzz/settings.js';

let files: Uint8Array[] = [];

beforeAll(async () => {
  const models = await Promise.all([
    Sequential.create([new Dense(3, 4, { activation: 'relu' }), new Dense(4, 2, { activation: 'softmax' })], { loss: 'crossEntropy', seed: 1 }),
    Sequential.create([new Dense(2, 3, { activation: { name: 'leakyRelu', alpha: 0.2 } }), new Maxout(3, 2, { pieces: 3 }), new Activation('tanh'), new Dense(2, 1, { activation: 'sigmoid' })], { loss: 'binaryCrossEntropy', seed: 2 }),
    Sequential.create([new Dense(5, 1)], { loss: { name: 'mse', reduction: 'sum' }, optimizer: { type: 'sgd', lr: 0.3 }, seed: 3 }),
    Sequential.create([new Dense(3, 4), new BatchNorm(), new Residual([new Dense(4, 4, { activation: 'relu' }), new Dropout(0.2)]), new Dense(4, 2, { activation: 'softmax' })], { loss: 'crossEntropy', optimizer: { type: 'adam' }, seed: 4 }),
  ]);
  files = models.map((m) => m.save({ optimizer: m === models[3] }));
});

/** What only training reads: a file the full reader refuses for these alone may still serve inference. */
const TRAINING_ONLY = /^header\.(loss|optimizer|training)\b|^header\.[^:]*: (loss|optimizer|reduction|[A-Za-z]+ options)\b|expects? (a |one )?(softmax|sigmoid)/;

async function read(bytes: Uint8Array): Promise<void> {
  const full = await outcome(() => loadModel(bytes, { backend: 'wasm' }));
  const infer = await outcome(() => loadInference(bytes));
  if (!infer.ok) {
    expect(infer.error).toBeInstanceOf(ModelFormatError);
    if (full.ok) full.value.dispose();
    expect(full.ok, `simdnet/infer refused what loadModel reads: ${infer.error.message}`).toBe(false);
    return;
  }
  if (!full.ok) {
    expect(full.error.message, 'loadModel refused for a reason inference should share').toMatch(TRAINING_ONLY);
    return;
  }
  const n = full.value.inputSize;
  expect(infer.value.inputSize).toBe(n);
  const x = { data: Float32Array.from({ length: 3 * n }, (_, i) => Math.sin(i) * 2), shape: [3, n] };
  expect(new Uint32Array(infer.value.predict(x).data.buffer)).toEqual(new Uint32Array(full.value.predict(x).data.buffer));
  full.value.dispose();
  infer.value.dispose();
}

describe('fuzzing the simdnet/infer reader against the full one', () => {
  it('random bytes, with or without the magic and version in front', () => randomBytes(read, 800), FUZZ_TIMEOUT);

  it('valid files with bytes flipped, set, inserted, deleted or cut, and the checksum recomputed or not', () => damagedFiles(read, files, 1500), FUZZ_TIMEOUT);

  it('hostile headers behind a valid envelope and checksum', () => hostileHeaders(read, 2000), FUZZ_TIMEOUT);
});
