// Seeded fuzzing of the model readers (bytes and JSON): random bytes, damaged valid
// files with and without the checksum recomputed, and hostile headers behind a valid
// envelope. Each case ends in a ModelFormatError that names the field, or in a model
// that saves and loads back to itself — never another error, never seconds of work.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Activation, BatchNorm, Dense, Dropout, Maxout, ModelFormatError, Residual, Sequential, loadModel, loadModelJSON } from '../src/index.js';
import { header, hostileValue, weight } from './fuzz/arbitraries.js';
import { damagedFiles, hostileHeaders, randomBytes } from './fuzz/reader-cases.js';
import { outcome } from './fuzz/outcome.js';
import { FUZZ_TIMEOUT, fuzz } from './fuzz/settings.js';

let files: Uint8Array[] = [];

beforeAll(async () => {
  const models = await Promise.all([
    Sequential.create([new Dense(3, 4, { activation: 'relu' }), new Dense(4, 2, { activation: 'softmax' })], { loss: 'crossEntropy', backend: 'js', seed: 1 }),
    Sequential.create([new Dense(2, 3, { activation: { name: 'leakyRelu', alpha: 0.2 } }), new Maxout(3, 2, { pieces: 3 }), new Activation('tanh'), new Dense(2, 1, { activation: 'sigmoid' })], { loss: 'binaryCrossEntropy', backend: 'js', seed: 2 }),
    Sequential.create([new Dense(5, 1)], { loss: { name: 'mse', reduction: 'sum' }, optimizer: { type: 'sgd', lr: 0.3 }, backend: 'js', seed: 3 }),
    Sequential.create([new Dense(3, 4), new BatchNorm(), new Residual([new Dense(4, 4, { activation: 'relu' }), new Dropout(0.2)]), new Dense(4, 2, { activation: 'softmax' })], { loss: 'crossEntropy', optimizer: { type: 'adam' }, backend: 'js', seed: 4 }),
  ]);
  models[0].metadata = { classes: ['a', 'b'], stats: { mean: [0.5, 1, 2] } };
  files = models.map((m) => m.save());
});

/** A loaded model must save, load back and predict bit-identically: what loads, saves. */
async function roundTrips(model: Sequential): Promise<void> {
  const again = await loadModel(model.save(), { backend: 'js' });
  const x = [Array.from({ length: model.inputSize }, (_, i) => i / 3 - 0.5)];
  expect(new Uint8Array(again.predict(x).data.buffer)).toEqual(new Uint8Array(model.predict(x).data.buffer));
  expect(again.toJSON()).toEqual(model.toJSON());
  again.dispose();
  model.dispose();
}

async function read(bytes: Uint8Array): Promise<void> {
  const r = await outcome(() => loadModel(bytes, { backend: 'js' }));
  if (r.ok) await roundTrips(r.value);
  else expect(r.error).toBeInstanceOf(ModelFormatError);
}

describe('fuzzing the .simdnet reader', () => {
  it('random bytes, with or without the magic and version in front', () => randomBytes(read, 1500), FUZZ_TIMEOUT);

  it('valid files with bytes flipped, set, inserted, deleted or cut, and the checksum recomputed or not', () => damagedFiles(read, files, 2500), FUZZ_TIMEOUT);

  it('hostile headers behind a valid envelope and checksum', () => hostileHeaders(read, 3000), FUZZ_TIMEOUT);

  it('hostile JSON models, as objects and as text', async () => {
    const weights = fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: hostileValue },
      { weight: 1, arbitrary: fc.array(fc.oneof(fc.array(fc.oneof(weight, hostileValue), { maxLength: 8 }), hostileValue), { maxLength: 4 }) },
    );
    await fc.assert(
      fc.asyncProperty(header, weights, fc.boolean(), fc.array(weight, { minLength: 16, maxLength: 16 }), async (h, given, asText, pool) => {
        const params = [h.params, h.state].filter(Array.isArray).flat();
        const w = given ?? params.map((p: { length?: unknown }) => (Number.isInteger(p?.length) && (p.length as number) <= 4096 ? Array.from({ length: p.length as number }, (_, i) => pool[i % 16]) : []));
        const json = { ...h, weights: w };
        let text: string | null = null;
        try {
          text = JSON.stringify(json);
        } catch {}
        const r = await outcome(() => loadModelJSON((asText && text !== null ? text : json) as never, { backend: 'js' }));
        if (r.ok) await roundTrips(r.value);
        else expect(r.error).toBeInstanceOf(ModelFormatError);
      }),
      fuzz(2000),
    );
  }, FUZZ_TIMEOUT);
});
