// The deep layers through model files and through dropout's own gradient: every new
// layer saves and loads back to the same predictions (its running statistics with it),
// version-1 files still load, and dropout's backward pass is the derivative of its
// forward pass for a fixed mask.
import { describe, expect, it } from 'vitest';
import { JsKernels } from '../src/backend/js.js';
import type { Kernels } from '../src/backend/kernels.js';
import { WasmKernels } from '../src/backend/wasm.js';
import { Activation, BatchNorm, Dense, Dropout, Maxout, Residual, Sequential, loadModel, loadModelJSON } from '../src/index.js';
import { Random } from '../src/random.js';
import { rawModel } from './helpers/model-bytes.js';

const rng = new Random(21);
const X = Array.from({ length: 24 }, () => Array.from({ length: 5 }, () => rng.normal()));
const Y = X.map((r) => (r[0] - r[3] > 0 ? 1 : 0));

const bits = (m: { data: Float32Array | Float64Array }) => new Uint8Array(m.data.buffer.slice(0));

describe.each(['js', 'wasm'] as const)('files holding the deep layers, on %s', (backend) => {
  it('a trained model with batch norm, dropout and residual blocks loads back predicting bit-identically', async () => {
    const model = await Sequential.create(
      [
        new Dense(5, 6, { activation: 'relu' }),
        new Residual([new Dense(6, 6), new BatchNorm({ momentum: 0.8, epsilon: 1e-4 }), new Activation('tanh'), new Dropout(0.25)]),
        new Residual([new Maxout(6, 4, { pieces: 2 })], { projection: true }),
        new BatchNorm(),
        new Dense(4, 2, { activation: 'softmax' }),
      ],
      { loss: 'crossEntropy', optimizer: { type: 'adam', lr: 0.01 }, seed: 5, backend },
    );
    await model.fit(X, Y, { epochs: 5, batchSize: 6 });
    const bytes = model.save();
    const loaded = await loadModel(bytes, { backend });
    expect(bits(loaded.predict(X))).toEqual(bits(model.predict(X)));
    expect(loaded.toJSON()).toEqual(model.toJSON());
    // The header lists the running statistics after the parameters.
    const json = model.toJSON();
    expect(json.version).toBe(2);
    expect(json.state!.map((s) => s.name)).toEqual(['1.1.movingMean', '1.1.movingVariance', '3.movingMean', '3.movingVariance']);
    expect(json.weights.length).toBe(json.params.length + json.state!.length);
    const viaJson = await loadModelJSON(JSON.stringify(json), { backend });
    expect(bits(viaJson.predict(X))).toEqual(bits(model.predict(X)));
    expect(json.optimizer).toEqual({ type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });
});

it('a version-1 file (no state) still loads', async () => {
  const header = {
    format: 'simdnet',
    version: 1,
    layers: [{ type: 'Dense', inputSize: 2, units: 1, activation: 'linear', init: 'glorotUniform' }],
    loss: 'mse',
    optimizer: { type: 'sgd', lr: 0.1 },
    params: [{ name: '0.kernel', length: 2 }, { name: '0.bias', length: 1 }],
    metadata: { note: 'v1' },
  };
  const model = await loadModel(rawModel(JSON.stringify(header), new Float32Array([2, -1, 0.5])));
  expect(Array.from(model.predict([[1, 1]]).data)).toEqual([1.5]);
  expect(model.metadata).toEqual({ note: 'v1' });
  // Saving writes the current version.
  expect(model.toJSON().version).toBe(2);
});

it('a file whose state disagrees with its layers is refused, naming the field', async () => {
  const model = await Sequential.create([new Dense(3, 4), new BatchNorm(), new Dense(4, 1)], { loss: 'mse', backend: 'js' });
  const json = model.toJSON();
  json.state![1] = { name: '1.movingVariance', length: 3 };
  json.weights[json.params.length + 1] = [1, 1, 1];
  await expect(loadModelJSON(json)).rejects.toThrow(/^header.state\[1\]: expected 4 values for the layers as configured, got 3/);
});

describe('dropout backprop against finite differences for a fixed mask', () => {
  // f(x) = Σ c ⊙ dropout(x), the generator reset before every evaluation, so the mask is the same each time.
  async function check(k: Kernels): Promise<number> {
    const n = 37, state = 64, x = state + 64, y = x + 4 * n + 16, mask = y + 4 * n + 16, c = mask + 4 * n + 16, dx = c + 4 * n + 16;
    k.heap.ensure(dx + 4 * n + 64);
    const seed = Array.from({ length: 16 }, (_, i) => (i * 0x9e3779b9) | 0);
    const r = new Random(3);
    const xs = Array.from({ length: n }, () => r.normal()), cs = Array.from({ length: n }, () => r.normal());
    const threshold = Math.floor(0.3 * 2 ** 32) | 0, scale = Math.fround(1 / 0.7);
    const f = (values: number[]): number => {
      k.heap.i32.set(seed, state >> 2);
      values.forEach((v, i) => (k.heap.f32[(x >> 2) + i] = v));
      k.dropoutForward(x, y, mask, n, state, threshold, scale);
      let s = 0;
      for (let i = 0; i < n; i++) s += cs[i] * k.heap.f32[(y >> 2) + i];
      return s;
    };
    f(xs);
    cs.forEach((v, i) => (k.heap.f32[(c >> 2) + i] = v));
    k.multiply(c, mask, dx, n);
    const analytic = Array.from(k.heap.f32.subarray(dx >> 2, (dx >> 2) + n));
    let worst = 0;
    const eps = 1e-2;
    for (let i = 0; i < n; i++) {
      const up = [...xs], down = [...xs];
      up[i] += eps;
      down[i] -= eps;
      const numeric = (f(up) - f(down)) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(analytic[i])));
    }
    const dropped = analytic.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(3);
    expect(dropped).toBeLessThan(n - 3);
    return worst;
  }

  it('on JS float64 (to 1e-9) and on WASM float32 (to 1e-3, the rounding of f at ε = 0.01)', async () => {
    expect(await check(new JsKernels('float64'))).toBeLessThan(1e-9);
    expect(await check(await WasmKernels.create())).toBeLessThan(1e-3);
  });
});
