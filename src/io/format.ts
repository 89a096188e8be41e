// The .simdnet model file, version 2 (version 1, without state, still loads). All
// integers little-endian.
//
//   offset  size  field
//   0       8     magic "SIMDNET\0"
//   8       4     format version (u32) = 2
//   12      4     header length H in bytes (u32)
//   16      H     header: UTF-8 JSON (topology, layer configs, loss, optimizer,
//                 parameter and state names and lengths, user metadata such as
//                 normalization statistics and class names), space-padded so
//                 the weights start 4-byte aligned
//   16+H    4·W   float32 values, no padding: every parameter in header order,
//                 then every state tensor (running statistics) in header order
//   end−4   4     CRC-32 of all bytes before it (u32)

import { firstNonFinite } from '../backend/finite.js';
import { InputError, ModelFormatError, describe, isDetached } from '../errors.js';
import { MAX_FILE_BYTES, MAX_HEADER_BYTES, MAX_LAYERS, MAX_PARAMETERS, formatBytes } from '../limits.js';
import { crc32 } from './crc32.js';
import { jsonBoundsProblem } from './json.js';

export const MAGIC = 'SIMDNET\0';
export const FORMAT_VERSION = 2;
/** Versions this reader reads: 1 had no state. */
const READABLE = [1, 2];

export interface ModelHeader {
  format: 'simdnet';
  version: number;
  layers: { type: string; [key: string]: unknown }[];
  loss: unknown;
  optimizer: unknown;
  params: TensorEntry[];
  /** The layers' model state (running statistics); absent in version 1. */
  state?: TensorEntry[];
  /** What training further needs, written by save({ optimizer: true }): its values follow the state. */
  training?: TrainingHeader;
  metadata: Record<string, unknown>;
}

export interface TrainingHeader {
  /** The model's seed and how many fits it has run: the next fit shuffles as it would have. */
  seed: number;
  fits: number;
  /** Optimizer steps taken, and Adam's running β1ᵗ, β2ᵗ. */
  step: number;
  beta1Pow: number;
  beta2Pow: number;
  /** Each dropout layer's generator words. */
  generators: { name: string; words: number[] }[];
  /** The optimizer's moment regions, laid out as the parameter region. */
  moments: TensorEntry[];
}

const TRAINING_KEYS = ['seed', 'fits', 'step', 'beta1Pow', 'beta2Pow', 'generators', 'moments'];

export interface TensorEntry {
  name: string;
  length: number;
}

export function encodeModel(header: ModelHeader, weights: readonly ArrayLike<number>[]): Uint8Array {
  let json = new TextEncoder().encode(JSON.stringify(header));
  // Metadata is the only part of a header without a bound of its own.
  if (json.length > MAX_HEADER_BYTES) throw new InputError(`metadata: expected a header of at most ${formatBytes(MAX_HEADER_BYTES)} with it (see the README's Limits), got ${formatBytes(json.length)}`);
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

/** The fields of a header, in the order the writer puts them; a JSON model adds `weights`. */
export const HEADER_KEYS = ['format', 'version', 'layers', 'loss', 'optimizer', 'params', 'state', 'training', 'metadata'] as const;

/** The tensors of a header in the order their values are stored: params, state, then the optimizer's moments. */
export function tensorLists(header: ModelHeader): [string, TensorEntry[]][] {
  return [
    ['params', header.params],
    ['state', header.state ?? []],
    ['training.moments', header.training?.moments ?? []],
  ];
}

export function decodeModel(bytes: unknown): { header: ModelHeader; weights: Float32Array[]; state: Float32Array[]; moments: Float32Array[] } {
  if (!(bytes instanceof Uint8Array)) throw new ModelFormatError(`bytes: expected a Uint8Array, got ${describe(bytes)}`);
  if (isDetached(bytes)) throw new ModelFormatError('bytes: expected a Uint8Array with its bytes, got one over a detached buffer');
  if (bytes.length > MAX_FILE_BYTES) throw new ModelFormatError(`bytes: expected a model file of at most ${formatBytes(MAX_FILE_BYTES)} (see the README's Limits), got ${formatBytes(bytes.length)}`);
  const got = String.fromCharCode(...bytes.subarray(0, 8));
  if (bytes.length < 8 || got !== MAGIC) {
    throw new ModelFormatError(`bytes: expected a simdnet model starting with "SIMDNET\\0", got ${JSON.stringify(got)} (not a model file)`);
  }
  if (bytes.length < 20) throw new ModelFormatError(`bytes: expected at least 20 bytes for the fixed fields, got ${bytes.length} (truncated)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (!READABLE.includes(version)) throw new ModelFormatError(`version: expected format version ${READABLE.join(' or ')}, got ${version} (written by another simdnet version)`);
  const headerBytes = view.getUint32(12, true);
  if (headerBytes > MAX_HEADER_BYTES) throw new ModelFormatError(`header: expected at most ${formatBytes(MAX_HEADER_BYTES)} of header (see the README's Limits), got a length field of ${headerBytes} bytes`);
  if (16 + headerBytes + 4 > bytes.length) {
    throw new ModelFormatError(`header: expected ${headerBytes} header bytes and a checksum, got a file of ${bytes.length} bytes (truncated)`);
  }
  const end = bytes.length - 4;
  const stored = view.getUint32(end, true);
  const actual = crc32(bytes.subarray(0, end));
  if (stored !== actual) {
    throw new ModelFormatError(`checksum: expected CRC-32 ${hex(stored)} as stored, got ${hex(actual)} over the bytes (truncated or corrupt)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerBytes)));
  } catch (e) {
    throw new ModelFormatError(`header: expected UTF-8 JSON, got bytes that do not parse (${(e as Error).message})`);
  }
  const header = checkHeader(parsed, HEADER_KEYS);
  if (header.version !== version) throw new ModelFormatError(`header.version: expected ${version} as the fixed fields say, got ${describe(header.version)}`);
  const weightBytes = end - 16 - headerBytes;
  const lists = tensorLists(header);
  const declared = lists.reduce((n, [, list]) => n + list.reduce((m, p) => m + p.length, 0), 0);
  if (weightBytes !== declared * 4) {
    throw new ModelFormatError(`weights: expected ${declared} float32 values (${declared * 4} bytes) as the header's params and state say, got ${weightBytes} bytes`);
  }
  let at = 16 + headerBytes;
  const read = (list: TensorEntry[], field: string) =>
    list.map((p, i) => {
      const w = new Float32Array(p.length);
      for (let j = 0; j < p.length; j++, at += 4) w[j] = view.getFloat32(at, true);
      const bad = firstNonFinite(w);
      if (bad >= 0) throw new ModelFormatError(`weights of header.${field}[${i}] (${JSON.stringify(p.name)}): expected finite float32 values, got ${w[bad]} at index ${bad}`);
      return w;
    });
  const [weights, state, moments] = lists.map(([field, list]) => read(list, field));
  return { header, weights, state, moments };
}

/**
 * The structural checks shared by the binary and the JSON forms, before anything is
 * built: only the header's own fields, bounded nesting, and sizes within the limits.
 * What the layers and the loss say is checked by building them (io/load.ts).
 */
export function checkHeader(value: unknown, keys: readonly string[]): ModelHeader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ModelFormatError(`header: expected a JSON object, got ${describe(value)}`);
  const bounds = jsonBoundsProblem(value);
  if (bounds) throw new ModelFormatError(`header: expected JSON within the limits, got ${bounds}`);
  const header = value as Record<string, unknown>;
  for (const key of Object.keys(header)) {
    if (!keys.includes(key)) throw new ModelFormatError(`header: expected the fields ${keys.join(', ')}, got an unknown field ${describe(key)}`);
  }
  if (header.format !== 'simdnet') throw new ModelFormatError(`header.format: expected "simdnet", got ${describe(header.format)}`);
  if (!READABLE.includes(header.version as number)) throw new ModelFormatError(`header.version: expected ${READABLE.join(' or ')}, got ${describe(header.version)}`);
  const layers = header.layers;
  if (!Array.isArray(layers) || layers.length === 0 || layers.length > MAX_LAYERS) {
    throw new ModelFormatError(`header.layers: expected an array of 1 to ${MAX_LAYERS} layer configs, got ${describe(layers)}`);
  }
  layers.forEach((layer, i) => {
    if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) throw new ModelFormatError(`header.layers[${i}]: expected a layer config object, got ${describe(layer)}`);
  });
  // Version 2 lists the state after the params (possibly empty); version 1 has none.
  if (header.version === 1 && header.state !== undefined) throw new ModelFormatError('header.state: expected no state in a version 1 header, got one');
  if (header.version === 2 && header.state === undefined) throw new ModelFormatError('header.state: expected the list of state tensors in a version 2 header, got none');
  if (header.training !== undefined) checkTraining(header.training, header.version as number);
  let total = 0;
  for (const [field, list] of tensorLists(header as unknown as ModelHeader)) {
    if (!Array.isArray(list)) throw new ModelFormatError(`header.${field}: expected an array of { name, length }, got ${describe(list)}`);
    list.forEach((p: unknown, i) => {
      const { name, length } = (typeof p === 'object' && p !== null ? p : {}) as { name?: unknown; length?: unknown };
      if (typeof p !== 'object' || p === null || Array.isArray(p) || Object.keys(p).length !== 2 || typeof name !== 'string' || typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
        throw new ModelFormatError(`header.${field}[${i}]: expected { name: string, length: integer ≥ 0 }, got ${describe(p)}`);
      }
      total += length;
      // Two moments per parameter at the most beside the parameters and state.
      if (total > 3 * MAX_PARAMETERS) throw new ModelFormatError(`header.${field}: expected at most ${MAX_PARAMETERS.toLocaleString('en-US')} parameters and state values and their optimizer moments in all (see the README's Limits), got more by ${field}[${i}]`);
    });
  }
  const metadata = header.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new ModelFormatError(`header.metadata: expected an object, got ${describe(metadata)}`);
  return header as unknown as ModelHeader;
}

/** The training block's shape: its own fields, integers where counts are, generator words as int32. */
function checkTraining(value: unknown, version: number): void {
  const at = 'header.training';
  if (version < 2) throw new ModelFormatError(`${at}: expected no training state in a version ${version} header, got one`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ModelFormatError(`${at}: expected an object, got ${describe(value)}`);
  const t = value as Record<string, unknown>;
  for (const key of Object.keys(t)) if (!TRAINING_KEYS.includes(key)) throw new ModelFormatError(`${at}: expected the fields ${TRAINING_KEYS.join(', ')}, got an unknown field ${describe(key)}`);
  for (const key of ['seed', 'fits', 'step']) {
    const v = t[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || (key !== 'seed' && v < 0)) throw new ModelFormatError(`${at}.${key}: expected an integer${key === 'seed' ? '' : ' ≥ 0'}, got ${describe(v)}`);
  }
  for (const key of ['beta1Pow', 'beta2Pow']) {
    const v = t[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ModelFormatError(`${at}.${key}: expected a number in [0, 1], got ${describe(v)}`);
  }
  const generators = t.generators;
  if (!Array.isArray(generators)) throw new ModelFormatError(`${at}.generators: expected an array, got ${describe(generators)}`);
  generators.forEach((g: unknown, i) => {
    const { name, words } = (typeof g === 'object' && g !== null ? g : {}) as { name?: unknown; words?: unknown };
    const ok = typeof name === 'string' && Array.isArray(words) && words.every((w) => Number.isInteger(w) && w >= -(2 ** 31) && w < 2 ** 32);
    if (!ok || Object.keys(g as object).length !== 2) throw new ModelFormatError(`${at}.generators[${i}]: expected { name: string, words: 32-bit integers }, got ${describe(g)}`);
  });
  if (!Array.isArray(t.moments)) throw new ModelFormatError(`${at}.moments: expected an array of { name, length }, got ${describe(t.moments)}`);
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
