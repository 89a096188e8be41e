// simdnet/infer against the full library: every layer type the trainer saves, predicted
// bit for bit as the trainer's predict does on the same SIMD build (plain SIMD in Node;
// Chromium's relaxed build is checked by test/browser-infer.test.ts); batch norm folded
// into the dense layer before it, checked against a float64 reference; the sources a
// model comes from; and the errors a caller meets.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as simdnet from '../src/index.js';
import { BatchNorm, Dense, DisposedError, InputError, ModelFormatError, Sequential, loadModel } from '../src/index.js';
import { loadInference } from '../src/infer/index.js';
import { ROW_COUNTS, data, trainedZoo } from './browser/shared/zoo.js';

const bits = (a: ArrayLike<number>) => new Uint32Array(Float32Array.from(a).buffer);

let zoo: [string, Sequential][] = [];
beforeAll(async () => {
  zoo = await trainedZoo(simdnet, 'wasm');
}, 60_000);
afterAll(() => zoo.forEach(([, m]) => m.dispose()));

describe('simdnet/infer predicts as the full library does', () => {
  it('on every layer type, for 1 to 300 rows, bit for bit (and as the same file loaded by loadModel)', async () => {
    for (const [name, model] of zoo) {
      const net = await loadInference(model.save());
      const again = await loadModel(model.save(), { backend: 'wasm' });
      expect([net.inputSize, net.outputSize], name).toEqual([model.inputSize, model.outputSize]);
      for (const rows of ROW_COUNTS) {
        const x = { data: data(rows, 5, rows), shape: [rows, 5] };
        const want = bits(model.predict(x).data);
        expect(bits(net.predict(x).data), `${name}, ${rows} rows`).toEqual(want);
        expect(bits(again.predict(x).data), `${name}, ${rows} rows, loadModel`).toEqual(want);
      }
      expect(Array.from(net.predictClasses({ data: data(9, 5, 3), shape: [9, 5] }))).toEqual(Array.from(model.predictClasses({ data: data(9, 5, 3), shape: [9, 5] })));
      again.dispose();
    }
  });

  it('the folded batch norm is the batch norm: predict matches a float64 reference of Dense → BatchNorm → ReLU → Dense', async () => {
    const model = (zoo.find(([name]) => name.startsWith('BatchNorm')) as [string, Sequential])[1];
    const json = model.toJSON();
    const w = (name: string): number[] => json.weights[[...json.params, ...(json.state ?? [])].findIndex((p) => p.name === name)];
    const rows = 7, x = data(rows, 5, 2);
    const dense = (input: number[], k: number[], b: number[], n: number) =>
      Array.from({ length: n }, (_, j) => b[j] + input.reduce((s, v, i) => s + v * k[i * n + j], 0));
    const norm = (v: number[], layer: number, eps: number) =>
      v.map((z, j) => ((z - w(`${layer}.movingMean`)[j]) / Math.sqrt(w(`${layer}.movingVariance`)[j] + eps)) * w(`${layer}.gamma`)[j] + w(`${layer}.beta`)[j]);
    const relu = (v: number[]) => v.map((z) => Math.max(0, z));
    const got = model.predict({ data: x, shape: [rows, 5] }).data;
    const net = await loadInference(model.save());
    const inferred = net.predict({ data: x, shape: [rows, 5] }).data;
    for (let r = 0; r < rows; r++) {
      let h = Array.from(x.subarray(r * 5, r * 5 + 5));
      h = relu(norm(dense(h, w('0.kernel'), w('0.bias'), 33), 1, 1e-3));
      h = norm(relu(dense(h, w('3.kernel'), w('3.bias'), 17)), 4, 0.01);
      h = dense(h, w('6.kernel'), w('6.bias'), 2);
      for (let j = 0; j < 2; j++) {
        expect(Math.abs(got[r * 2 + j] - h[j])).toBeLessThan(1e-5 * (1 + Math.abs(h[j])));
        expect(inferred[r * 2 + j]).toBe(got[r * 2 + j]);
      }
    }
  });

  it("the trainer refolds after what changes weights or statistics: fit, setWeights, restore", async () => {
    const make = () => Sequential.create([new Dense(3, 8), new BatchNorm(), new Dense(8, 2, { activation: 'softmax' })], { loss: 'crossEntropy', seed: 2, backend: 'wasm' });
    const model = await make();
    const x = { data: data(16, 3, 4), shape: [16, 3] }, y = Int32Array.from({ length: 16 }, (_, i) => i % 2);
    const before = bits(model.predict(x).data);
    const snapshot = model.snapshot();
    await model.fit(x, y, { epochs: 2, batchSize: 4 });
    const trained = bits(model.predict(x).data);
    expect(trained).not.toEqual(before);
    // A fresh model from the same file computes its folds from scratch: the same bits.
    expect(bits((await loadModel(model.save(), { backend: 'wasm' })).predict(x).data)).toEqual(trained);
    model.restore(snapshot);
    expect(bits(model.predict(x).data)).toEqual(before);
    const weights = model.getWeights();
    weights[0] = weights[0].map((v: number) => v * 2);
    model.setWeights(weights);
    const reference = await make();
    reference.setWeights(weights);
    expect(bits(model.predict(x).data)).toEqual(bits(reference.predict(x).data));
    expect(bits(model.predict(x).data)).not.toEqual(before);
    // evaluate runs the same folded forward pass: its accuracy is predictClasses'.
    const classes = model.predictClasses(x);
    const accuracy = classes.reduce((n: number, c: number, i: number) => n + (c === y[i] ? 1 : 0), 0) / 16;
    expect((model.evaluate(x, y) as { accuracy: number }).accuracy).toBe(accuracy);
  });
});

describe('where a model comes from', () => {
  let url = '';
  let close = () => {};
  let file: Uint8Array = new Uint8Array(0);
  beforeAll(async () => {
    file = zoo[1][1].save();
    const server = createServer((req, res) => {
      if (req.url === '/model.simdnet') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file);
      else res.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('bytes, an ArrayBuffer, a view, a Response, a URL and its string all load the same model', async () => {
    const x = { data: data(3, 5, 1), shape: [3, 5] };
    const want = bits(zoo[1][1].predict(x).data);
    const sources: unknown[] = [file, file.slice().buffer, new DataView(file.slice().buffer), new Response(new Uint8Array(file)), new URL('/model.simdnet', url), `${url}/model.simdnet`];
    for (const source of sources) expect(bits((await loadInference(source)).predict(x).data)).toEqual(want);
    // The full library's loadModel takes the same sources.
    expect(bits((await loadModel(new URL('/model.simdnet', url), { backend: 'wasm' })).predict(x).data)).toEqual(want);
  });

  it('a missing file, an unreachable host, a file: URL and a wrong type are ModelFormatErrors that say so', async () => {
    await expect(loadInference(`${url}/missing`)).rejects.toThrow(/^bytes: expected a Response with a status of 200–299, got 404 Not Found from http/);
    await expect(loadInference('http://127.0.0.1:1/model.simdnet')).rejects.toThrow(/^bytes: expected a model file at "http:\/\/127.0.0.1:1\/model.simdnet", got a fetch that failed/);
    await expect(loadInference(new URL('file:///tmp/model.simdnet'))).rejects.toThrow(/^bytes: expected a URL that fetch can read, got the file URL "file:\/\/\/tmp\/model.simdnet"; in Node pass the file's bytes/);
    await expect(loadInference(42)).rejects.toThrow(ModelFormatError);
    await expect(loadInference(new Uint8Array(8))).rejects.toThrow(/^bytes: expected a simdnet model starting with/);
  });
});

describe('calls a caller gets wrong', () => {
  it('a wrong width, a non-finite value, an empty matrix and a disposed model are named errors', async () => {
    const net = await loadInference(zoo[0][1].save());
    expect(() => net.predict([[1, 2, 3]])).toThrow(new InputError('x: expected 5 columns per row (the model\'s width), got 3'));
    expect(() => net.predict([[1, 2, NaN, 4, 5]])).toThrow(/^x: expected finite numbers, got NaN at row 0, column 2/);
    expect(() => net.predict([])).toThrow(InputError);
    expect(net.predict([[1, 2, 3, 4, 5]]).shape).toEqual([1, 4]);
    net.dispose();
    expect(() => net.predict([[1, 2, 3, 4, 5]])).toThrow(DisposedError);
  });

  it('keeps the metadata the file holds', async () => {
    const model = zoo[0][1];
    model.metadata = { classes: ['a', 'b', 'c', 'd'] };
    expect((await loadInference(model.save())).metadata).toEqual({ classes: ['a', 'b', 'c', 'd'] });
  });
});
