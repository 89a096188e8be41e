// Model files built by hand, so a test can write what simdnet's own writer never
// would: any header text (deep, hostile, not JSON) behind a valid envelope and CRC.
import { crc32 } from '../../src/io/crc32.js';

/** A .simdnet file with `header` as its header bytes, `weights` after it and a correct checksum. */
export function rawModel(header: string | Uint8Array, weights: Uint8Array | Float32Array = new Uint8Array(0), version = 1): Uint8Array {
  const json = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const w = weights instanceof Float32Array ? new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) : weights;
  const bytes = new Uint8Array(16 + json.length + w.length + 4);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('SIMDNET\0'));
  view.setUint32(8, version, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, 16);
  bytes.set(w, 16 + json.length);
  return withCrc(bytes);
}

/** The bytes with their last four replaced by the CRC-32 of the rest: damage that passes the checksum. */
export function withCrc(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 4) new DataView(bytes.buffer, bytes.byteOffset).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  return bytes;
}

/** Arrays nested `depth` deep around `inner`, as JSON text (JSON.stringify would overflow the stack). */
export function nestedJson(depth: number, inner = '"Dense"'): string {
  return '['.repeat(depth) + inner + ']'.repeat(depth);
}
