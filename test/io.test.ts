// The .simdnet file: a round trip predicts bit-identically, and every kind of
// damage is refused with its own message.
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../src/io/crc32.js';
import { encodeModel, decodeModel } from '../src/io/format.js';
import { Activation, Dense, Maxout, ModelFormatError, Sequential, loadModel, loadModelJSON } from '../src/index.js';
import { loadModelFile, saveModelFile } from '../src/node/index.js';
import { Random } from '../src/random.js';

const rng = new Random(4);
const X = Array.from({ length: 20 }, () => [rng.normal(), rng.normal(), rng.normal()]);
const Y = X.map((r) => (r[0] + r[1] > 0 ? 1 : 0));

async function trained(backend: 'js' | 'wasm'): Promise<Sequential> {
  const model = await Sequential.create(
    [new Dense(3, 6, { activation: { name: 'leakyRelu', alpha: 0.2 } }), new Maxout(6, 4, { pieces: 3 }), new Activation('tanh'), new Dense(4, 2, { activation: 'softmax' })],
    { loss: { name: 'crossEntropy', reduction: 'sum' }, optimizer: { type: 'sgd', lr: 0.05 }, seed: 3, backend },
  );
  await model.fit(X, Y, { epochs: 5, batchSize: 4 });
  model.metadata = { classes: ['no', 'yes'], mean: [0.1, 0.2, 0.3] };
  return model;
}

function bits(m: { data: Float32Array | Float64Array }): Uint8Array {
  return new Uint8Array(m.data.buffer);
}

describe.each(['js', 'wasm'] as const)('save and load on %s', (backend) => {
  it('the loaded model predicts bit-identically and keeps its metadata and configuration', async () => {
    const model = await trained(backend);
    const loaded = await loadModel(model.save(), { backend });
    expect(bits(loaded.predict(X))).toEqual(bits(model.predict(X)));
    expect(loaded.metadata).toEqual(model.metadata);
    expect(loaded.toJSON()).toEqual(model.toJSON());
    expect(loaded.loss.config()).toEqual({ name: 'crossEntropy', reduction: 'sum' });
    expect(loaded.optimizer.lr).toBe(0.05);
  });

  it('the JSON form round-trips exactly', async () => {
    const model = await trained(backend);
    const json = JSON.stringify(model.toJSON());
    const loaded = await loadModelJSON(json, { backend });
    expect(bits(loaded.predict(X))).toEqual(bits(model.predict(X)));
  });
});

it('a model saved on one backend loads on the other and agrees to 1e-5', async () => {
  const model = await trained('wasm');
  const loaded = await loadModel(model.save(), { backend: 'js' });
  const a = model.predict(X).data, b = loaded.predict(X).data;
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5));
});

describe('damaged files are refused', () => {
  const good = async () => (await trained('js')).save();
  const withCrc = (bytes: Uint8Array) => {
    new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
    return bytes;
  };
  const cases: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['a wrong magic', (b) => withCrc(Object.assign(b.slice(), { 0: 80 })), /^bytes: expected a simdnet model starting with "SIMDNET\\0", got "PIMDNET/],
    ['text that is not a model', () => new TextEncoder().encode('sepal_length,label\n1,2\n'), /^bytes: expected a simdnet model .*\(not a model file\)/],
    ['an unknown version', (b) => { const c = b.slice(); new DataView(c.buffer).setUint32(8, 7, true); return withCrc(c); }, /^version: expected format version 1 or 2, got 7/],
    ['a truncated file', (b) => b.slice(0, b.length - 9), /^checksum: expected CRC-32 0x[0-9a-f]{8} as stored, got 0x[0-9a-f]{8} over the bytes \(truncated or corrupt\)/],
    ['a file cut inside the header', (b) => b.slice(0, 40), /^header: expected \d+ header bytes and a checksum, got a file of 40 bytes \(truncated\)/],
    ['a flipped weight byte', (b) => { const c = b.slice(); c[c.length - 20] ^= 0x10; return c; }, /^checksum: expected CRC-32/],
    ['a header whose shapes disagree with the weights', (b) => {
      const { header, weights } = decodeModel(b);
      header.params[0].length += 1;
      return encodeModel(header, weights);
    }, /^weights: expected \d+ float32 values \(\d+ bytes\) as the header's params and state say, got \d+ bytes/],
    ['a header whose params disagree with its layers', (b) => {
      const { header, weights } = decodeModel(b);
      header.params[0].length += 1;
      return encodeModel(header, [Float32Array.from([...weights[0], 0]), ...weights.slice(1)]);
    }, /^header.params\[0\]: expected 18 values for the layers as configured, got 19/],
    ['an unknown layer type', (b) => {
      const { header, weights } = decodeModel(b);
      header.layers[2].type = 'Conv2D';
      return encodeModel(header, weights);
    }, /^header.layers\[2\].type: expected one of Dense, Activation, Maxout, Dropout, BatchNorm, Residual, got "Conv2D"/],
  ];

  it.each(cases)('%s', async (_, damage, message) => {
    const error = await loadModel(damage(await good())).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('model files on disk', () => {
  it('saveModelFile writes through a temporary file and loadModelFile reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-io-'));
    const model = await trained('wasm');
    await saveModelFile(model, join(dir, 'm.simdnet'));
    expect(readdirSync(dir)).toEqual(['m.simdnet']);
    const loaded = await loadModelFile(join(dir, 'm.simdnet'));
    expect(bits(loaded.predict(X))).toEqual(bits(model.predict(X)));
  });

  it('a failed save leaves no file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-io-'));
    const model = await trained('js');
    await expect(saveModelFile(model, join(dir, 'missing', 'm.simdnet'))).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
