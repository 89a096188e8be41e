// What loadModel reads a model file from: its bytes as a Uint8Array (or any view or
// ArrayBuffer over them, which is what `fetch(...).arrayBuffer()` and file APIs give), or
// a fetch Response, read here with the file-size limit applied while it streams, so a
// body larger than any model is never buffered whole.

import { ModelFormatError, describe } from '../errors.js';
import { MAX_FILE_BYTES, formatBytes } from '../limits.js';

/** A model file's bytes, or where they come from: a Response, or a URL to fetch. */
export type ModelSource = Uint8Array | ArrayBuffer | ArrayBufferView | Response | URL | string;

const tooLarge = (got: string) => new ModelFormatError(`bytes: expected a model file of at most ${formatBytes(MAX_FILE_BYTES)} (see the README's Limits), got ${got}`);

/** The bytes of `source` as a Uint8Array over the same memory (a Response's body read in full). */
export async function modelBytes(source: unknown): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof Response !== 'undefined' && source instanceof Response) return responseBytes(source);
  if (typeof source === 'string' || (typeof URL !== 'undefined' && source instanceof URL)) return responseBytes(await fetched(source));
  throw new ModelFormatError(`bytes: expected a Uint8Array, an ArrayBuffer, a Response or a URL, got ${describe(source)}`);
}

async function fetched(source: string | URL): Promise<Response> {
  const where = JSON.stringify(String(source));
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(source, base);
  } catch {
    throw new ModelFormatError(`bytes: expected a Uint8Array, an ArrayBuffer, a Response or a URL, got ${where}, which is no URL here; in Node pass the file's bytes (await readFile(path))`);
  }
  // Node's fetch reads no files: say what does.
  if (url.protocol === 'file:') throw new ModelFormatError(`bytes: expected a URL that fetch can read, got the file URL ${where}; in Node pass the file's bytes (await readFile(path))`);
  try {
    return await fetch(url);
  } catch (e) {
    const cause = (e as { cause?: { message?: string } })?.cause?.message;
    throw new ModelFormatError(`bytes: expected a model file at ${where}, got a fetch that failed (${(e as Error)?.message ?? describe(e)}${cause ? `: ${cause}` : ''})`);
  }
}

async function responseBytes(response: Response): Promise<Uint8Array> {
  const from = response.url ? ` from ${response.url}` : '';
  if (!response.ok) throw new ModelFormatError(`bytes: expected a Response with a status of 200–299, got ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${from}`);
  if (response.bodyUsed) throw new ModelFormatError(`bytes: expected a Response whose body is unread, got one already read${from}`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > MAX_FILE_BYTES) throw tooLarge(`a Response of ${formatBytes(declared)} (its Content-Length)${from}`);
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > MAX_FILE_BYTES) {
        void reader.cancel();
        throw tooLarge(`a Response body of more than that${from}`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(`bytes: the Response's body could not be read${from} (${(e as Error)?.message ?? describe(e)})`);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}
