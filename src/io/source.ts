// What loadModel reads a model file from: its bytes as a Uint8Array (or any view or
// ArrayBuffer over them, which is what `fetch(...).arrayBuffer()` and file APIs give), or
// a fetch Response, read here with the file-size limit applied while it streams, so a
// body larger than any model is never buffered whole.

import { ModelFormatError, describe } from '../errors.js';
import { MAX_FILE_BYTES, formatBytes } from '../limits.js';

/** A model file's bytes, or where they come from. */
export type ModelSource = Uint8Array | ArrayBuffer | ArrayBufferView | Response;

const tooLarge = (got: string) => new ModelFormatError(`bytes: expected a model file of at most ${formatBytes(MAX_FILE_BYTES)} (see the README's Limits), got ${got}`);

/** The bytes of `source` as a Uint8Array over the same memory (a Response's body read in full). */
export async function modelBytes(source: unknown): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof Response !== 'undefined' && source instanceof Response) return responseBytes(source);
  throw new ModelFormatError(`bytes: expected a Uint8Array, an ArrayBuffer or a Response, got ${describe(source)}`);
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
