// The classes of bad input a hostile user found (issue 8), each fixed at its root:
// names looked up only among the library's own, nothing allocated on a header's
// word, no rejected call that breaks a model, bounded nesting (non-finite values and
// odd arguments: hardening-values.test.ts). The fuzz tests generate the rest.
import { describe, expect, it } from 'vitest';
import { Arena } from '../src/plan.js';
import { ArrayHeap } from '../src/backend/heap.js';
import {
  Activation,
  Dense,
  InputError,
  Maxout,
  ModelFormatError,
  ResourceError,
  Sequential,
  loadModel,
} from '../src/index.js';
import { BUILT_INS, FOUR, LABELS, X, bytesOf, classifier, header, rejection } from './helpers/hardening.js';
import { nestedJson, rawModel } from './helpers/model-bytes.js';

describe('names are looked up only among the library’s own', () => {
  it.each(BUILT_INS)('a file whose layer type is %j is a ModelFormatError', async (name) => {
    const error = await rejection(() => loadModel(rawModel(JSON.stringify(header((h) => ((h.layers as { type: string }[])[0].type = name))), FOUR)));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toBe(`header.layers[0].type: expected one of Dense, Activation, Maxout, Dropout, BatchNorm, Residual, got ${JSON.stringify(name)}`);
  });

  it.each(BUILT_INS)('%j is no activation, loss, reduction, initializer, optimizer or precision', async (name) => {
    const cases: [() => unknown, RegExp][] = [
      [() => new Dense(3, 4, { activation: name as never }), /^Dense activation: expected one of linear, .*, got /],
      [() => new Activation(name as never), /^Activation: expected one of linear, /],
      [() => new Dense(3, 4, { init: name as never }), /^Dense init: expected one of glorotUniform, /],
      [() => new Maxout(3, 4, { init: name as never }), /^Maxout init: expected one of glorotUniform, /],
      [() => Sequential.create([new Dense(3, 1)], { loss: name as never }), /^loss: expected one of mse, crossEntropy, binaryCrossEntropy, got /],
      [() => Sequential.create([new Dense(3, 1)], { loss: { name: 'mse', reduction: name as never } }), /^loss.reduction: expected one of mean, sum, got /],
      [() => Sequential.create([new Dense(3, 1)], { loss: 'mse', optimizer: { type: name } as never }), /^optimizer.type: expected one of sgd, adam, adamw, rmsprop, got /],
      [() => Sequential.create([new Dense(3, 1)], { loss: 'mse', precision: name as never }), /^precision: expected one of float32, float64, got /],
    ];
    for (const [call, message] of cases) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it.each([
    ['a loss', (h: Record<string, unknown>) => (h.loss = 'constructor'), /^header.loss: expected one of mse, crossEntropy, binaryCrossEntropy, got "constructor"$/],
    ['an activation', (h: Record<string, unknown>) => ((h.layers as Record<string, unknown>[])[0].activation = '__proto__'), /^header.layers\[0\]: Dense activation: expected one of /],
    ['an initializer', (h: Record<string, unknown>) => ((h.layers as Record<string, unknown>[])[0].init = 'toString'), /^header.layers\[0\]: Dense init: expected one of /],
    ['an optimizer', (h: Record<string, unknown>) => (h.optimizer = { type: 'hasOwnProperty' }), /^header.optimizer.type: expected one of sgd, /],
    ['a layer field', (h: Record<string, unknown>) => ((h.layers as Record<string, unknown>[])[0]['constructor'] = 1), /^header.layers\[0\]: expected the fields type, inputSize, units, activation, init for Dense, got an unknown field "constructor"/],
    ['a header field', (h: Record<string, unknown>) => (h['toString'] = 1), /^header: expected the fields format, .*, got an unknown field "toString"/],
  ])('a file naming a built-in property as %s is a ModelFormatError', async (_, edit, message) => {
    const error = await rejection(() => loadModel(rawModel(JSON.stringify(header(edit)), FOUR)));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(message);
  });

  it('an option object with an unknown key is an error, not a silently ignored typo', async () => {
    expect(() => new Dense(3, 4, { activaton: 'relu' } as never)).toThrow(/^Dense options: expected keys among \[activation, init\], got unknown key "activaton"/);
    await expect(Sequential.create([new Dense(3, 1)], { loss: 'mse', sead: 3 } as never)).rejects.toThrow(/^options: expected keys among \[loss, .*\], got unknown key "sead"/);
    await expect(Sequential.create([new Dense(3, 1)], { loss: 'mse', optimizer: { type: 'sgd', lr: 0.1, momentun: 0.9 } as never })).rejects.toThrow(/^optimizer: expected keys among \[type, lr, weightDecay, clipNorm, momentum, nesterov\], got unknown key "momentun"/);
    const model = await classifier('js');
    const before = bytesOf(model);
    await expect(model.fit(X, LABELS, { epoch: 3 } as never)).rejects.toThrow(/^options: expected keys among \[epochs, .*\], got unknown key "epoch"/);
    await expect(model.fit(X, LABELS, { callbacks: { onEpochEnded() {} } } as never)).rejects.toThrow(/^callbacks: expected methods among \[onTrainBegin, .*\], got unknown key "onEpochEnded"/);
    await expect(loadModel(model.save(), { backnd: 'js' } as never)).rejects.toThrow(/^options: expected keys among \[backend\], got unknown key "backnd"/);
    expect(bytesOf(model)).toEqual(before);
  });

  it('callbacks may be methods of a class', async () => {
    class Counter {
      /** State beside the methods is the callback's own business. */
      epochs = 0;
      onEpochEnd(): void {
        this.epochs++;
      }
    }
    const counter = new Counter();
    await (await classifier('js')).fit(X, LABELS, { epochs: 3, callbacks: counter });
    expect(counter.epochs).toBe(3);
  });
});

describe('nothing is allocated on a header’s word', () => {
  // Each file is a few hundred bytes; building what it declares would take gigabytes.
  it.each([
    ['a 16384×16384 Dense without its weights (188 bytes)', header((h) => {
      h.layers = [{ type: 'Dense', inputSize: 16384, units: 16384, activation: 'linear' }];
      h.params = [];
    }), /^header.layers\[0\]: Dense units: expected at most 67,108,864 parameters, got 16384 × 16384 weights \+ 16384 biases = 268,451,840/],
    ['Dense(2, 1.4e8)', header((h) => {
      h.layers = [{ type: 'Dense', inputSize: 2, units: 1.4e8, activation: 'linear' }];
    }), /^header.layers\[0\]: Dense units: expected an integer from 1 to 16,777,216, got 140000000/],
    ['a Dense of 8192×8192 whose params match its layer but not the bytes', header((h) => {
      h.layers = [{ type: 'Dense', inputSize: 8192, units: 8191, activation: 'linear' }];
      h.params = [{ name: '0.kernel', length: 8192 * 8191 }, { name: '0.bias', length: 8191 }];
    }), /^weights: expected 67108863 float32 values \(268435452 bytes\) as the header's params and state say, got 16 bytes/],
    ['a params length past the limit', header((h) => (h.params = [{ name: '0.kernel', length: 2 ** 40 }])), /^header.params: expected at most 67,108,864 parameters and state values and their optimizer moments in all/],
    ['10,001 layers', header((h) => (h.layers = Array.from({ length: 10_001 }, () => ({ type: 'Activation', activation: 'relu' })))), /^header.layers: expected an array of 1 to 10000 layer configs, got an array of length 10001/],
  ])('%s is refused at once', async (_, h, message) => {
    const bytes = rawModel(JSON.stringify(h), (h.params as unknown[]).length === 0 ? new Float32Array(0) : FOUR);
    const started = performance.now();
    const memory = process.memoryUsage().rss;
    const error = await rejection(() => loadModel(bytes));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(message);
    expect(performance.now() - started).toBeLessThan(500);
    expect(process.memoryUsage().rss - memory).toBeLessThan(64 * 2 ** 20);
  });

  it('a header length past the limit is refused before the checksum is computed', async () => {
    const bytes = rawModel('{}');
    new DataView(bytes.buffer).setUint32(12, 2 ** 31, true);
    await expect(loadModel(bytes)).rejects.toThrow(/^header: expected at most 16.0 MiB of header \(see the README's Limits\), got a length field of 2147483648 bytes/);
  });
});

describe.each(['js', 'wasm'] as const)('no rejected call breaks a model on %s', (backend) => {
  it.each([1e9, 2 ** 31, 1e300, 1e7])('batchSize %d on 4 rows trains on the 4 rows, and memory stays small', async (batchSize) => {
    const model = await classifier(backend);
    const clamped = await classifier(backend);
    const history = await model.fit(X, LABELS, { batchSize, epochs: 3 });
    const whole = await clamped.fit(X, LABELS, { batchSize: 4, epochs: 3 });
    expect(history).toEqual(whole);
    expect(bytesOf(model)).toEqual(bytesOf(clamped));
    await model.fit(X, LABELS, { batchSize: 2 });
    expect(model.predict(X).data.every(Number.isFinite)).toBe(true);
    expect((model as unknown as { engine: { kernels: { heap: { byteLength: number } } } }).engine.kernels.heap.byteLength).toBeLessThan(2 ** 20);
  });

  it('a batch whose activations the heap cannot hold is a ResourceError, and the model works as before', async () => {
    // A hidden layer of 2^22 units: 32 MiB a row for its output and gradient, so 100 rows need 3.2 GiB.
    const wide = await Sequential.create([new Dense(1, 2 ** 22, { init: 'zeros' }), new Dense(2 ** 22, 1)], { loss: 'mse', backend });
    const rows = Array.from({ length: 100 }, (_, i) => [i / 100]);
    const targets = rows.map(([v]) => 2 * v);
    // Compared as whole buffers: vitest's deep equality walks a typed array key by key.
    const same = (a: Uint8Array[], b: Uint8Array[]) => a.every((w, i) => Buffer.from(w).equals(Buffer.from(b[i])));
    const before = bytesOf(wide);
    const predicted = wide.predict(rows.slice(0, 3)).data;
    const error = await rejection(() => wide.fit(rows, targets, { batchSize: 100 }));
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as Error).message).toMatch(/^batchSize: expected what fits one model's heap \(2.0 GiB, see the README's Limits\), got a batch of 100 rows, which needs 3.\d GiB$/);
    expect(same(bytesOf(wide), before)).toBe(true);
    expect(Array.from(wide.predict(rows.slice(0, 3)).data)).toEqual(Array.from(predicted));
    await wide.fit(rows.slice(0, 4), targets.slice(0, 4), { batchSize: 2 });
    expect(same(bytesOf(wide), before)).toBe(false);
    wide.dispose();
  });

  it('a layer or model beyond the limits is refused when it is described, not when memory runs out', async () => {
    expect(() => new Dense(2, 1e9)).toThrow(/^Dense units: expected an integer from 1 to 16,777,216, got 1000000000/);
    expect(() => new Dense(8192, 8192)).toThrow(/^Dense units: expected at most 67,108,864 parameters, got 8192 × 8192 weights \+ 8192 biases = 67,117,056/);
    expect(() => new Maxout(4096, 4096, { pieces: 8 })).toThrow(/^Maxout units: expected at most 67,108,864 parameters/);
    const halves = [new Dense(4096, 8200), new Dense(8200, 4096)];
    const error = await rejection(() => Sequential.create(halves, { loss: 'mse', backend }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^layers: expected at most 67,108,864 parameters and state values in all \(see the README's Limits\), got 67,186,696/);
  });
});

describe('the arena commits all of a plan or none of it', () => {
  it('a heap that refuses to grow leaves the claims before the mark and forgets the rest', () => {
    const heap = new ArrayHeap();
    const arena = new Arena(heap);
    arena.claim(100);
    arena.commit(16, 'first', 'a test');
    const mark = arena.mark;
    heap.ensure = () => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    };
    arena.claim(1e6);
    expect(() => arena.commit(mark, 'batchSize', 'a batch of 1000000 rows')).toThrow(
      new ResourceError('batchSize: a batch of 1000000 rows needs 3.8 MiB of memory, which this engine refused (WebAssembly.Memory.grow(): Maximum memory size exceeded)'),
    );
    expect(arena.mark).toBe(mark);
  });
});

describe('nesting is bounded, in files and in metadata', () => {
  const text = JSON.stringify(header());
  it.each([
    ['a layer type nested 5,000 deep', text.replace('"type":"Dense"', `"type":${nestedJson(5000)}`)],
    ['metadata nested 5,000 deep', text.replace('"metadata":{}', `"metadata":{"a":${nestedJson(5000)}}`)],
    ['metadata nested 65 deep', text.replace('"metadata":{}', `"metadata":${nestedJson(64, '{}')}`)],
  ])('%s is a ModelFormatError', async (_, h) => {
    const error = await rejection(() => loadModel(rawModel(h, FOUR)));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toBe('header: expected JSON within the limits, got values nested more than 64 deep');
  });

  it('metadata nested 63 deep loads, and the model saves what it loaded', async () => {
    const model = await loadModel(rawModel(JSON.stringify(header()).replace('"metadata":{}', `"metadata":{"a":${nestedJson(62, '1')}}`), FOUR));
    expect((await loadModel(model.save())).metadata).toEqual(model.metadata);
  });

  it.each([
    ['nested 5,000 deep', () => ({ a: JSON.parse(nestedJson(5000)) }), /^metadata: expected JSON within the limits, got values nested more than 64 deep/],
    ['cyclic', () => {
      const a: Record<string, unknown> = {};
      a.self = a;
      return { a };
    }, /^metadata: expected JSON within the limits, got values nested more than 64 deep/],
    ['a graph whose shared branches expand to 2^40 values', () => {
      let node: unknown = [1];
      for (let i = 0; i < 40; i++) node = [node, node];
      return { node };
    }, /^metadata: expected JSON within the limits, got more than 16,777,216 values/],
    ['not an object', () => [1, 2], /^metadata: expected a JSON object, got \[1, 2\]/],
    ['a bigint', () => ({ n: 1n }), /^metadata: expected a JSON-serializable object, got one that fails to serialize/],
  ])('metadata %s is refused by save with an InputError, quickly', async (_, make, message) => {
    const model = await Sequential.create([new Dense(3, 1)], { loss: 'mse', backend: 'js' });
    model.metadata = make() as Record<string, unknown>;
    const started = performance.now();
    expect(() => model.save()).toThrow(message);
    expect(() => model.toJSON()).toThrow(message);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

