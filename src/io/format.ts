// The .simdnet model file, version 1. All integers little-endian.
//
//   offset  size  field
//   0       8     magic "SIMDNET\0"
//   8       4     format version (u32) = 1
//   12      4     header length H in bytes (u32)
//   16      H     header: UTF-8 JSON (topology, layer configs, loss, optimizer,
//                 parameter names and lengths, user metadata such as
//                 normalization statistics and class names), space-padded so
//                 the weights start 4-byte aligned
//   16+H    4·W   weights: float32, every parameter in header order, no padding
//   end−4   4     CRC-32 of all bytes before it (u32)

import { ModelFormatError } from '../errors.js';
import { crc32 } from './crc32.js';

export const MAGIC = 'SIMDNET\0';
export const FORMAT_VERSION = 1;

export interface ModelHeader {
  format: 'simdnet';
  version: number;
  layers: { type: string; [key: string]: unknown }[];
  loss: unknown;
  optimizer: unknown;
  params: { name: string; length: number }[];
  metadata: Record<string, unknown>;
}

export function encodeModel(header: ModelHeader, weights: readonly Float32Array[]): Uint8Array {
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 4) * 4;
  if (padded !== json.length) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.length));
  const floats = weights.reduce((n, w) => n + w.length, 0);
  const bytes = new Uint8Array(16 + json.length + floats * 4 + 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 8; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, 16);
  let at = 16 + json.length;
  for (const w of weights) {
    for (let i = 0; i < w.length; i++, at += 4) view.setFloat32(at, w[i], true);
  }
  view.setUint32(at, crc32(bytes.subarray(0, at)), true);
  return bytes;
}

export function decodeModel(bytes: Uint8Array): { header: ModelHeader; weights: Float32Array[] } {
  if (!(bytes instanceof Uint8Array)) throw new ModelFormatError(`bytes: expected a Uint8Array, got ${typeof bytes}`);
  const got = String.fromCharCode(...bytes.subarray(0, 8));
  if (bytes.length < 8 || got !== MAGIC) {
    throw new ModelFormatError(`bytes: expected a simdnet model starting with "SIMDNET\\0", got ${JSON.stringify(got)} (not a model file)`);
  }
  if (bytes.length < 20) throw new ModelFormatError(`bytes: expected at least 20 bytes for the fixed fields, got ${bytes.length} (truncated)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) throw new ModelFormatError(`version: expected format version ${FORMAT_VERSION}, got ${version} (written by another simdnet version)`);
  const headerBytes = view.getUint32(12, true);
  if (16 + headerBytes + 4 > bytes.length) {
    throw new ModelFormatError(`header: expected ${headerBytes} header bytes and a checksum, got a file of ${bytes.length} bytes (truncated)`);
  }
  const end = bytes.length - 4;
  const stored = view.getUint32(end, true);
  const actual = crc32(bytes.subarray(0, end));
  if (stored !== actual) {
    throw new ModelFormatError(`checksum: expected CRC-32 ${hex(stored)} as stored, got ${hex(actual)} over the bytes (truncated or corrupt)`);
  }
  let header: ModelHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerBytes)));
  } catch (e) {
    throw new ModelFormatError(`header: expected UTF-8 JSON, got bytes that do not parse (${(e as Error).message})`);
  }
  checkHeader(header);
  const weightBytes = end - 16 - headerBytes;
  const declared = header.params.reduce((n, p) => n + p.length, 0);
  if (weightBytes !== declared * 4) {
    throw new ModelFormatError(`weights: expected ${declared} float32 values (${declared * 4} bytes) as the header's params say, got ${weightBytes} bytes`);
  }
  let at = 16 + headerBytes;
  const weights = header.params.map((p) => {
    const w = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++, at += 4) w[i] = view.getFloat32(at, true);
    return w;
  });
  return { header, weights };
}

/** The structural checks shared by the binary and the JSON forms. */
export function checkHeader(header: ModelHeader): void {
  if (typeof header !== 'object' || header === null || header.format !== 'simdnet') {
    throw new ModelFormatError(`header.format: expected "simdnet", got ${JSON.stringify((header as { format?: unknown })?.format)}`);
  }
  if (!Array.isArray(header.layers) || header.layers.length === 0) throw new ModelFormatError('header.layers: expected a non-empty array of layer configs');
  if (!Array.isArray(header.params) || !header.params.every((p) => typeof p?.name === 'string' && Number.isInteger(p.length) && p.length >= 0)) {
    throw new ModelFormatError('header.params: expected an array of { name, length } with integer lengths');
  }
  if (typeof header.metadata !== 'object' || header.metadata === null) throw new ModelFormatError('header.metadata: expected an object');
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
