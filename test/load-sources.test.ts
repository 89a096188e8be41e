// loadModel reads a model from what a page or a server hands it: a Uint8Array (also a
// view into a larger buffer), an ArrayBuffer (what `fetch(...).arrayBuffer()` gives),
// a DataView, or the fetch Response itself, streamed with the file-size limit. What is
// none of these, a failed or already-read Response, and a body past the limit are
// ModelFormatErrors that say which.
import { describe, expect, it } from 'vitest';
import { Dense, ModelFormatError, Sequential, loadModel } from '../src/index.js';
import { MAX_FILE_BYTES } from '../src/limits.js';

async function saved(): Promise<{ bytes: Uint8Array; predicted: Float32Array | Float64Array }> {
  const model = await Sequential.create([new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 2, { activation: 'softmax' })], { loss: 'crossEntropy', seed: 7, backend: 'js' });
  const bytes = model.save();
  const predicted = model.predict([[0.1, -0.2, 0.3]]).data;
  model.dispose();
  return { bytes, predicted };
}

/** A Response streaming `bytes` in chunks of `size`, as a network body arrives. */
function chunked(bytes: Uint8Array, size: number, init: ResponseInit = {}): Response {
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
  return new Response(body, init);
}

describe('loadModel sources', () => {
  it.each([
    ['a Uint8Array', (b: Uint8Array) => b],
    ['an ArrayBuffer', (b: Uint8Array) => b.slice().buffer],
    ['a view into a larger buffer', (b: Uint8Array) => {
      const big = new Uint8Array(b.length + 24);
      big.set(b, 11);
      return big.subarray(11, 11 + b.length);
    }],
    ['a DataView', (b: Uint8Array) => new DataView(b.slice().buffer)],
    ['a Response', (b: Uint8Array) => new Response(b.slice())],
    ['a Response streamed in 7-byte chunks', (b: Uint8Array) => chunked(b, 7)],
  ])('%s gives the same model', async (_, wrap) => {
    const { bytes, predicted } = await saved();
    const model = await loadModel(wrap(bytes) as never, { backend: 'js' });
    expect(model.predict([[0.1, -0.2, 0.3]]).data).toEqual(predicted);
    model.dispose();
  });

  it.each([
    ['a path string', () => 'model.simdnet', /^bytes: expected a Uint8Array, an ArrayBuffer, a Response or a URL, got "model\.simdnet", which is no URL here; in Node pass the file's bytes \(await readFile\(path\)\)$/],
    ['a plain array', () => [83, 73, 77], /^bytes: expected a Uint8Array, an ArrayBuffer, a Response or a URL, got \[83, 73, 77\]$/],
    ['a 404 Response', () => new Response('not here', { status: 404, statusText: 'Not Found' }), /^bytes: expected a Response with a status of 200–299, got 404 Not Found$/],
    ['a Response already read', async () => {
      const r = new Response(new Uint8Array(8));
      await r.arrayBuffer();
      return r;
    }, /^bytes: expected a Response whose body is unread, got one already read$/],
    ['a Response declaring a body past the limit', () => new Response(new Uint8Array(8), { headers: { 'content-length': String(MAX_FILE_BYTES + 1) } }), /^bytes: expected a model file of at most .* \(see the README's Limits\), got a Response of .* \(its Content-Length\)$/],
    ['a Response whose body fails mid-way', () => new Response(new ReadableStream({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    })), /^bytes: the Response's body could not be read \(connection reset\)$/],
    ['a Response holding no model', () => new Response('<!doctype html>'), /^bytes: expected a simdnet model starting with "SIMDNET\\0", got "<!doctyp" \(not a model file\)$/],
  ])('%s is a ModelFormatError that says what came', async (_, make, message) => {
    const error = await loadModel((await make()) as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(message);
  });

  it('a streamed body past the limit is cut off while it arrives, not buffered whole', async () => {
    let sent = 0;
    const chunk = new Uint8Array(2 ** 24);
    const endless = new Response(new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    }));
    const error = await loadModel(endless).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^bytes: expected a model file of at most .*, got a Response body of more than that$/);
    expect(sent).toBeLessThan(MAX_FILE_BYTES + 4 * chunk.length);
  }, 30_000);
});
