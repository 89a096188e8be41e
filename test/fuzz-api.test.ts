// Seeded fuzzing of the API's edges: layer constructors, Sequential.create's options,
// fit's options and data, setWeights, predict and evaluate, with hostile values and
// absurd sizes. Each call ends in a result or a named SimdnetError; after a rejected
// call the model's weights are byte-identical and it still trains and predicts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Activation, Dense, InputError, Layer, Maxout, ResourceError, Sequential } from '../src/index.js';
import { activation, hostileValue, loss, optimizer, size } from './fuzz/arbitraries.js';
import { outcome } from './fuzz/outcome.js';
import { FUZZ_TIMEOUT, fuzz } from './fuzz/settings.js';

const X = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1, 1.1, 1.2], [0.2, 0.1, 0]];
const LABELS = [0, 1, 1, 0, 1];

const backends = ['js', 'wasm'] as const;
const models = new Map<string, Sequential>();

beforeAll(async () => {
  for (const backend of backends) {
    models.set(backend, await Sequential.create([new Dense(3, 4, { activation: 'relu' }), new Dense(4, 2, { activation: 'softmax' })], { loss: 'crossEntropy', backend, seed: 5 }));
  }
});
afterAll(() => models.forEach((m) => m.dispose()));

function bytesOf(model: Sequential): string {
  return model.getWeights().map((w) => Buffer.from(w.buffer).toString('hex')).join('|');
}

/** The model still trains and predicts finite numbers after whatever was rejected. */
async function stillWorks(model: Sequential): Promise<void> {
  const probe = model.predict(X).data;
  expect(probe.every(Number.isFinite)).toBe(true);
  const before = bytesOf(model);
  await model.fit(X, LABELS, { batchSize: 2, epochs: 1 });
  expect(bytesOf(model)).not.toBe(before);
}

/** A valid value six times in seven, else a hostile one. */
const mostly = <T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown> = hostileValue) => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: hostile });

/** Mostly valid option values, with hostile ones mixed in; absurd sizes among the numbers. */
// A valid but large epoch count is a long job, not a bad input: kept out so each case stays short.
const count = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: hostileValue.filter((v) => !(typeof v === 'number' && Number.isSafeInteger(v) && v > 3)) });
const fraction = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 0.2, 0.5) }, { weight: 1, arbitrary: hostileValue });
const batch = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }) }, { weight: 1, arbitrary: fc.constantFrom(1e9, 2 ** 31, 1e300, 1e7, 2 ** 53) }, { weight: 1, arbitrary: hostileValue });
const callbacks = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('onEpochEnd', 'onBatchEnd', 'onTrainBegin', 'onEpochEnded', 'count', 'constructor', '__proto__'), fc.oneof(fc.constant(() => {}), hostileValue), { maxKeys: 3 }) },
  { weight: 1, arbitrary: hostileValue },
);
const matrix = fc.oneof(
  { weight: 6, arbitrary: fc.constant(X) },
  { weight: 1, arbitrary: fc.array(fc.array(fc.oneof(fc.double(), hostileValue), { maxLength: 4 }), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.record({ data: fc.oneof(fc.array(fc.double(), { maxLength: 9 }), hostileValue), shape: fc.oneof(fc.tuple(size, size), hostileValue) }) },
  { weight: 1, arbitrary: hostileValue },
);
const labels = fc.oneof(
  { weight: 6, arbitrary: fc.constant(LABELS) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.integer({ min: -1, max: 2 }), hostileValue), { minLength: 5, maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(fc.array(fc.oneof(fc.double({ min: 0, max: 1 }), hostileValue), { minLength: 2, maxLength: 2 }), { minLength: 5, maxLength: 5 }) },
  { weight: 1, arbitrary: hostileValue },
);
const fitOptions = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.record({ epochs: count, batchSize: batch, shuffle: mostly(fc.boolean()), validationSplit: fraction, seed: mostly(fc.integer()), callbacks, validationData: mostly(fc.constant([X, LABELS])) }, { requiredKeys: [], noNullPrototype: true }), fc.nat({ max: 3 }))
      .map(([o, keepBoth]) => {
        // Both ways of validating at once is a rejection of its own; usually keep one.
        if (o.validationSplit !== undefined && o.validationData !== undefined && keepBoth !== 0) delete o.validationData;
        return o;
      }),
  },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 3 }) },
  { weight: 1, arbitrary: hostileValue },
);

describe('fuzzing the API', () => {
  it('layer constructors take any arguments and answer with a layer or an InputError', async () => {
    const init = mostly(fc.constantFrom('heNormal', 'zeros', 'glorotUniform'));
    const dense = mostly(fc.record({ activation, init }, { requiredKeys: [] }));
    const maxout = mostly(fc.record({ init, pieces: mostly(fc.integer({ min: 2, max: 4 }), size) }, { requiredKeys: [] }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('Dense', 'Maxout', 'Activation'), size, size, dense, maxout, activation, async (kind, a, b, denseOptions, maxoutOptions, act) => {
        const r = await outcome(() => {
          if (kind === 'Dense') return new Dense(a as number, b as number, denseOptions as never);
          if (kind === 'Maxout') return new Maxout(a as number, b as number, maxoutOptions as never);
          return new Activation(act as never);
        });
        if (r.ok) expect(r.value).toBeInstanceOf(Layer);
        else expect(r.error).toBeInstanceOf(InputError);
      }),
      fuzz(3000),
    );
  }, FUZZ_TIMEOUT);

  it('Sequential.create takes any options and answers with a model or an InputError', async () => {
    const layers = fc.constantFrom(
      () => [new Dense(3, 2, { activation: 'softmax' })],
      () => [new Dense(3, 1, { activation: 'sigmoid' })],
      () => [new Dense(3, 4, { activation: 'tanh' }), new Maxout(4, 1)],
      () => [new Dense(3, 2), new Activation('softmax')],
    );
    const createOptions = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record(
          { loss: mostly(fc.constantFrom('mse', 'crossEntropy', 'binaryCrossEntropy'), loss), optimizer: mostly(fc.record({ type: fc.constant('sgd'), lr: fc.double({ min: 1e-3, max: 1, noNaN: true }) }), optimizer), seed: mostly(fc.integer()), backend: mostly(fc.constantFrom('js', 'wasm', 'auto')), precision: mostly(fc.constantFrom('float32', 'float64')), threads: mostly(fc.constant(1)) },
          { requiredKeys: ['loss'] },
        ),
      },
      { weight: 1, arbitrary: hostileValue },
    );
    await fc.assert(
      fc.asyncProperty(layers, createOptions, async (make, o) => {
        const r = await outcome(() => Sequential.create(make(), o as never));
        if (!r.ok) return void expect(r.error).toBeInstanceOf(InputError);
        const out = r.value.predict([[1, 2, 3]]);
        expect(out.shape).toEqual([1, r.value.outputSize]);
        r.value.dispose();
      }),
      fuzz(1500),
    );
  }, FUZZ_TIMEOUT);

  describe.each(backends)('on %s', (backend) => {
    it('fit takes any data and options; a rejected fit leaves the model as it was', async () => {
      await fc.assert(
        fc.asyncProperty(matrix, labels, fitOptions, async (x, y, o) => {
          const model = models.get(backend)!;
          const before = bytesOf(model);
          const r = await outcome(() => model.fit(x as never, y, o as never));
          if (r.ok) {
            expect(r.value.epoch.length).toBeLessThanOrEqual(3);
          } else {
            expect(r.error instanceof InputError || r.error instanceof ResourceError).toBe(true);
            expect(bytesOf(model)).toBe(before);
          }
          await stillWorks(model);
        }),
        fuzz(800),
      );
    }, FUZZ_TIMEOUT);

    it('setWeights, predict and evaluate take anything; what they reject leaves the model as it was', async () => {
      const weights = fc.oneof(
        fc.constant('same'),
        fc.array(fc.oneof(fc.array(fc.oneof(fc.double(), hostileValue), { maxLength: 12 }), hostileValue), { maxLength: 5 }),
        hostileValue,
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('setWeights', 'predict', 'evaluate', 'predictClasses'), matrix, labels, weights, async (call, x, y, w) => {
          const model = models.get(backend)!;
          const before = bytesOf(model);
          const good = model.getWeights();
          const r = await outcome(() => {
            if (call === 'setWeights') return model.setWeights((w === 'same' ? model.getWeights() : w) as never);
            if (call === 'predict') return model.predict(x as never);
            if (call === 'predictClasses') return model.predictClasses(x as never);
            return model.evaluate(x as never, y);
          });
          if (!r.ok || call !== 'setWeights') expect(bytesOf(model)).toBe(before);
          if (!r.ok) expect(r.error).toBeInstanceOf(InputError);
          // Accepted weights may be extreme enough to overflow a prediction: go back to trained ones.
          else if (call === 'setWeights') model.setWeights(good);
          await stillWorks(model);
        }),
        fuzz(1500),
      );
    }, FUZZ_TIMEOUT);
  });
});
