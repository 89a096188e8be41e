// Shared machinery for the kernel tests: a seeded RNG, named buffers laid out in
// a heap with guard bytes between them, a runner that gives a WASM and a JS
// backend identical inputs, and the agreement tolerance.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { JsKernels } from '../../src/backend/js.js';
import type { Heap, Kernels } from '../../src/backend/kernels.js';
import { WasmKernels } from '../../src/backend/wasm.js';
import { Random } from '../../src/random.js';

/** Test data from the library's own seeded generator, with the ranges the kernel tests need. */
export class Rng {
  private readonly source: Random;

  constructor(seed: number) {
    this.source = new Random(seed);
  }

  /** [0, 1) */
  random(): number {
    return this.source.next();
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.source.next();
  }

  /** An integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo) * this.source.next());
  }

  /** |v| in [lo, hi) with a random sign: keeps inputs off the kinks at 0. */
  awayFromZero(lo: number, hi: number): number {
    const v = this.uniform(lo, hi);
    return this.random() < 0.5 ? -v : v;
  }

  /** A random point of the probability simplex, so the row is a valid soft target. */
  distribution(n: number): number[] {
    const raw = Array.from({ length: n }, () => this.uniform(0.05, 1));
    const sum = raw.reduce((s, v) => s + v, 0);
    return raw.map((v) => v / sum);
  }
}

export type Kind = 'f32' | 'i32' | 'f64';

export interface BufferSpec {
  readonly length: number;
  readonly kind?: Kind;
  /** Initial contents; f32 defaults to uniform(−1, 1), i32 and f64 to 0. */
  readonly init?: ArrayLike<number> | ((rng: Rng, i: number) => number);
}

export interface Buffer {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  readonly kind: Kind;
}

export interface Layout<N extends string = string> {
  readonly buffers: Record<N, Buffer>;
  /** Byte offsets by name, the form the kernels take. */
  readonly ptr: Record<N, number>;
  /** Guard regions [from, to) between and after the buffers. */
  readonly guards: readonly (readonly [number, number])[];
  readonly end: number;
}

const ALIGN = 16;
/** A whole v128 of guard after every buffer: a vector store past a row tail lands in it. */
const GUARD = 16;
const CANARY = 0xa5;

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

function bytesOf(kind: Kind): number {
  return kind === 'f64' ? 8 : 4;
}

/**
 * End of the WASM module's static data (AssemblyScript's Math.log keeps lookup
 * tables there), read from the module itself so the layout follows the build.
 */
export const WASM_STATIC_END: number = staticDataEnd(readFileSync(new URL('../../build/kernels.wasm', import.meta.url)));

function staticDataEnd(bytes: Uint8Array): number {
  let at = 8;
  const uleb = (): number => {
    let result = 0, shift = 0, byte: number;
    do {
      byte = bytes[at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const sleb32 = (): number => {
    let result = 0, shift = 0, byte: number;
    do {
      byte = bytes[at++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return shift < 32 && byte & 0x40 ? result | (~0 << shift) : result;
  };
  let end = 0;
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = uleb();
    const next = at + size;
    if (id === 11) {
      const count = uleb();
      for (let s = 0; s < count; s++) {
        const flags = uleb();
        if (flags === 1) {
          at += uleb();
          continue;
        }
        if (flags === 2) uleb();
        if (bytes[at++] !== 0x41) throw new Error('kernel-harness: data segment offset is not an i32.const');
        const offset = sleb32() >>> 0;
        if (bytes[at++] !== 0x0b) throw new Error('kernel-harness: data segment offset expression too long');
        const length = uleb();
        end = Math.max(end, offset + length);
        at += length;
      }
    }
    at = next;
  }
  return end;
}

/** Where test buffers start by default: past the module's static data, so only the dedicated layout test meets that overlap. */
export const DEFAULT_BASE = align(Math.max(WASM_STATIC_END, ALIGN)) + ALIGN;

export function layoutBuffers<N extends string>(specs: Record<N, BufferSpec>, base = DEFAULT_BASE): Layout<N> {
  const buffers = {} as Record<N, Buffer>;
  const ptr = {} as Record<N, number>;
  const guards: [number, number][] = [];
  let top = align(base);
  for (const name of Object.keys(specs) as N[]) {
    const spec = specs[name];
    const kind = spec.kind ?? 'f32';
    buffers[name] = { name, offset: top, length: spec.length, kind };
    ptr[name] = top;
    const used = top + spec.length * bytesOf(kind);
    const next = align(used + GUARD);
    guards.push([used, next]);
    top = next;
  }
  return { buffers, ptr, guards, end: top };
}

export function writeBuffer(heap: Heap, b: Buffer, values: ArrayLike<number>): void {
  if (values.length !== b.length) throw new Error(`writeBuffer ${b.name}: ${values.length} values for ${b.length} slots`);
  if (b.kind === 'f64') for (let i = 0; i < b.length; i++) heap.f64[(b.offset >> 3) + i] = values[i];
  else if (b.kind === 'i32') for (let i = 0; i < b.length; i++) heap.i32[(b.offset >> 2) + i] = values[i];
  else for (let i = 0; i < b.length; i++) heap.f32[(b.offset >> 2) + i] = values[i];
}

export function readBuffer(heap: Heap, b: Buffer): number[] {
  const view = b.kind === 'f64' ? heap.f64 : b.kind === 'i32' ? heap.i32 : heap.f32;
  const start = b.offset >> (b.kind === 'f64' ? 3 : 2);
  return Array.from(view.subarray(start, start + b.length));
}

/** True when the heap's typed views alias one buffer, so byte canaries see every kernel write. */
function sharedViews(heap: Heap): boolean {
  return heap.f32 instanceof Float32Array && heap.f32.buffer === heap.u8.buffer;
}

function paintGuards(heap: Heap, layout: Layout): void {
  if (!sharedViews(heap)) return;
  for (const [from, to] of layout.guards) heap.u8.fill(CANARY, from, to);
}

function checkGuards(heap: Heap, layout: Layout, backend: string): void {
  if (!sharedViews(heap)) return;
  const names = Object.keys(layout.buffers);
  layout.guards.forEach(([from, to], g) => {
    for (let i = from; i < to; i++) {
      if (heap.u8[i] !== CANARY) {
        throw new Error(`${backend}: write past the end of buffer '${names[g]}' (byte ${i - from} of its guard)`);
      }
    }
  });
}

/** Draws every buffer's initial contents once, so two backends can get the very same numbers. */
export function drawInputs<N extends string>(layout: Layout<N>, specs: Record<N, BufferSpec>, rng: Rng): Record<N, number[]> {
  const values = {} as Record<N, number[]>;
  for (const name of Object.keys(specs) as N[]) {
    const { init, length } = specs[name];
    const kind = layout.buffers[name].kind;
    let v: number[];
    if (typeof init === 'function') v = Array.from({ length }, (_, i) => init(rng, i));
    else if (init) v = Array.from(init);
    else v = Array.from({ length }, () => (kind === 'f32' ? rng.uniform(-1, 1) : 0));
    // Round to f32 up front: a float64 heap must start from the numbers a float32 heap holds.
    values[name] = kind === 'f32' ? Array.from(Float32Array.from(v)) : v;
  }
  return values;
}

/** Lays out, fills and guards the buffers in one backend's heap. */
export function load<N extends string>(k: Kernels, layout: Layout<N>, values: Record<N, number[]>): void {
  k.heap.ensure(layout.end + ALIGN);
  paintGuards(k.heap, layout);
  for (const name of Object.keys(values) as N[]) writeBuffer(k.heap, layout.buffers[name], values[name]);
}

export interface Pair {
  readonly wasm: WasmKernels;
  readonly js: JsKernels;
}

export async function createPair(): Promise<Pair> {
  return { wasm: await WasmKernels.create(), js: new JsKernels() };
}

export type Outputs<N extends string> = Record<N, number[]>;

/**
 * Runs `call` on both backends over identical inputs and returns every buffer
 * afterwards (inputs too, so a kernel that scribbles on its inputs shows up).
 * Throws when a kernel wrote into a guard.
 */
export function runTwin<N extends string>(
  pair: Pair,
  rng: Rng,
  specs: Record<N, BufferSpec>,
  call: (k: Kernels, p: Record<N, number>) => void,
): { wasm: Outputs<N>; js: Outputs<N>; layout: Layout<N> } {
  const layout = layoutBuffers(specs);
  const values = drawInputs(layout, specs, rng);
  const result = {} as { wasm: Outputs<N>; js: Outputs<N> };
  for (const k of [pair.wasm, pair.js] as Kernels[]) {
    load(k, layout, values);
    call(k, layout.ptr);
    checkGuards(k.heap, layout, k.kind);
    const out = {} as Outputs<N>;
    for (const name of Object.keys(specs) as N[]) out[name] = readBuffer(k.heap, layout.buffers[name]);
    result[k.kind] = out;
  }
  return { ...result, layout };
}

/** Relative agreement limit between the two float32 backends. */
export const AGREE_TOL = 1e-5;

/**
 * max |wasm − js| ≤ 1e-5 × max(1, max |js|). Non-finite values must match
 * exactly (an Infinity would otherwise widen the limit to Infinity).
 */
export function expectClose(wasm: ArrayLike<number>, js: ArrayLike<number>, label: string): void {
  expect(wasm.length, `${label}: length`).toBe(js.length);
  let scale = 1;
  for (let i = 0; i < js.length; i++) if (Number.isFinite(js[i])) scale = Math.max(scale, Math.abs(js[i]));
  let worst = 0, at = -1;
  for (let i = 0; i < js.length; i++) {
    const a = wasm[i], b = js[i];
    let d: number;
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) d = 0;
    else if (!Number.isFinite(a) || !Number.isFinite(b)) d = Infinity;
    else d = Math.abs(a - b);
    if (d > worst || at < 0) {
      worst = d;
      at = i;
    }
  }
  const limit = AGREE_TOL * scale;
  const where = at >= 0 ? ` at [${at}] (wasm ${wasm[at]}, js ${js[at]})` : '';
  expect(worst <= limit, `${label}: max |wasm − js| = ${worst}${where}, limit ${limit}`).toBe(true);
}

/** Every slot of `values` is a finite number. */
export function expectFinite(values: ArrayLike<number>, label: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) expect.fail(`${label}: [${i}] = ${values[i]}`);
  }
}
