// setKernelSource: the WASM builds from the caller instead of the embedded modules — bytes
// from a function, or a base URL where dist/wasm/ is served — for both entries; the same
// results as the embedded builds, and a bad source is an error that names the build.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dense, InputError, KERNEL_FILES, Sequential, SimdnetError, setKernelSource } from '../src/index.js';
import { loadInference } from '../src/infer/index.js';

const WASM = new URL('../dist/wasm/', import.meta.url);
const x = [[0.5, -1, 2], [1, 1, 1], [0, 0.25, -3]];
const bits = (a: Float32Array | Float64Array) => Array.from(new Uint32Array(Float32Array.from(a).buffer));

async function run(threads = 1) {
  const model = await Sequential.create([new Dense(3, 16, { activation: 'relu' }), new Dense(16, 2, { activation: 'softmax' })], { loss: 'crossEntropy', seed: 9, backend: 'wasm', threads });
  await model.fit(x, [0, 1, 0], { epochs: 5, batchSize: 2 });
  const net = await loadInference(model.save());
  const out = { trained: bits(model.predict(x).data), inferred: bits(net.predict(x).data), simd: model.backendInfo().simd };
  model.dispose();
  return out;
}

let embedded: Awaited<ReturnType<typeof run>>;
let url = '';
let close = () => {};
beforeAll(async () => {
  embedded = await run();
  const server = createServer((req, res) => {
    const file = (req.url ?? '').replace(/^\/wasm\//, '');
    let body: Buffer;
    try {
      body = readFileSync(new URL(file, WASM));
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': 'application/wasm' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wasm/`;
  close = () => server.close();
}, 30_000);
afterEach(() => setKernelSource(null));
afterAll(() => close());

describe('setKernelSource', () => {
  it('bytes from a function: both entries train and predict as with the embedded builds, asking for the builds that run', async () => {
    const asked: string[] = [];
    setKernelSource((build, file) => {
      asked.push(`${build}:${file}`);
      return readFileSync(new URL(file, WASM));
    });
    expect(await run()).toEqual(embedded);
    const simd = embedded.simd === 'relaxed-simd' ? 'relaxed-simd' : 'simd128';
    expect(asked).toEqual([`${simd}:${KERNEL_FILES.get(simd)}`, `infer-${simd}:${KERNEL_FILES.get(`infer-${simd}`)}`]);
    await run(2);
    expect(asked).toContain('threads:kernels.threads.wasm');
  });

  it('a base URL where dist/wasm/ is served', async () => {
    setKernelSource(url);
    expect(await run()).toEqual(embedded);
  });

  it('a source that fails, answers 404 or gives no module is an error naming the build; null goes back to the embedded builds', async () => {
    setKernelSource(() => new Uint8Array([0, 97, 115, 109, 9, 9]));
    await expect(run()).rejects.toThrow(/^kernels (simd128|relaxed-simd) \(kernels(\.relaxed)?\.wasm\): expected a WebAssembly module this engine validates, got 6 bytes/);
    setKernelSource(() => {
      throw new Error('no such file');
    });
    await expect(run()).rejects.toThrow(/: expected bytes from the source setKernelSource gave, got no such file$/);
    setKernelSource(`${url}missing/`);
    await expect(run()).rejects.toThrow(/got a response with status 404/);
    setKernelSource(() => 42 as never);
    await expect(run()).rejects.toThrow(SimdnetError);
    setKernelSource(null);
    expect(await run()).toEqual(embedded);
    expect(() => setKernelSource(42 as never)).toThrow(InputError);
  });
});
