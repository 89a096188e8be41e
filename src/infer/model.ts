// A model for inference only: the forward program of a .simdnet file's layers
// (infer/plan.ts), its weights in a WebAssembly memory of its own, one run per call.

import { MemoryHeap } from '../backend/heap.js';
import { type Matrix, type MatrixInput, classesOf, nonFiniteError, toMatrix } from '../data.js';
import { DisposedError } from '../errors.js';
import { OP_WORDS } from '../backend/ops.js';
import { Arena, chunkRows, copyOut, predictRows } from '../plan.js';
import type { SimdVariant } from '../backend/wasm.js';
import type { InferencePlan } from './plan.js';
import { type InferenceExports, type InferenceKernels, instantiate } from './wasm.js';

interface Batch {
  readonly capacity: number;
  readonly x: number;
  readonly y: number;
  readonly program: number;
}

export class InferenceModel {
  readonly inputSize: number;
  readonly outputSize: number;
  /** The file's metadata (class names, normalization statistics…). */
  readonly metadata: Record<string, unknown>;
  /** The SIMD build that runs: 'relaxed-simd' where the engine has it, else 'simd128' (the trainer chooses alike). */
  readonly simd: SimdVariant;
  private heap: MemoryHeap | null;
  /** The weights below plan.persistentEnd, a batch's tensors and program above it. */
  private readonly arena: Arena;
  private readonly exports: InferenceExports;
  private readonly rowBytes: number;
  private batch: Batch | null = null;

  constructor(kernels: InferenceKernels, private readonly plan: InferencePlan, metadata: Record<string, unknown>) {
    this.inputSize = plan.inputSize;
    this.outputSize = plan.outputSize;
    this.metadata = metadata;
    this.simd = kernels.simd;
    const memory = new WebAssembly.Memory({ initial: 1 });
    this.exports = instantiate(kernels.module, memory);
    this.heap = new MemoryHeap(memory);
    this.arena = new Arena(this.heap, plan.persistentEnd);
    this.arena.commit(plan.persistentEnd, 'bytes', 'the model');
    plan.fill(this.heap.f32 as Float32Array);
    const measure = new Arena(null, 0);
    for (const width of plan.widths) measure.claim(width);
    this.rowBytes = measure.mark;
  }

  /** Outputs for each row of x (probabilities for softmax and sigmoid outputs): the full library's predict, bit for bit. Synchronous. */
  predict(x: MatrixInput): Matrix {
    const heap = this.live();
    const input = toMatrix(x, 'x', this.inputSize, { deferFinite: true });
    const rows = input.shape[0], p = this.inputSize, q = this.outputSize;
    const batch = this.batchFor(Math.min(rows, predictRows(this.rowBytes)));
    const out = new Float32Array(rows * q);
    const chunk = chunkRows(batch.capacity);
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start);
      const f = heap.f32;
      f.set(n === rows ? input.data : input.data.subarray(start * p, (start + n) * p), batch.x >> 2);
      const bad = this.exports.firstNonFinite(batch.x, n * p);
      if (bad >= 0) throw nonFiniteError(input, 'x', start * p + bad);
      this.exports.run(batch.program, this.plan.records.length, n);
      copyOut(f, batch.y >> 2, out, start * q, n * q);
    }
    return { data: out, shape: [rows, q] };
  }

  /** The most likely class of each row (argmax, or p ≥ 0.5 for one sigmoid output). */
  predictClasses(x: MatrixInput): Int32Array {
    return classesOf(this.predict(x));
  }

  /** Let go of the model's memory; a later predict throws a DisposedError. */
  dispose(): void {
    this.heap = null;
    this.batch = null;
  }

  get disposed(): boolean {
    return this.heap === null;
  }

  private live(): MemoryHeap {
    if (!this.heap) throw new DisposedError('model: expected a live model, got one whose dispose() was called');
    return this.heap;
  }

  /** Per-row tensors and the program for `rows` rows, above the weights; kept for calls as large or smaller. */
  private batchFor(rows: number): Batch {
    if (this.batch && this.batch.capacity >= rows) return this.batch;
    const base = this.plan.persistentEnd, records = this.plan.records;
    this.arena.release(base);
    const offsets = this.plan.widths.map((width) => this.arena.claim(rows * width).offset);
    const program = this.arena.claim(records.length * OP_WORDS).offset;
    // Nothing is written before the memory holds it all: a refused batch leaves the last one working.
    this.arena.commit(base, 'x', `a batch of ${rows.toLocaleString('en-US')} rows`);
    const words = this.live().i32, at = program >> 2;
    words.fill(0, at, at + records.length * OP_WORDS);
    records.forEach((r, i) => r.forEach((v, j) => (words[at + i * OP_WORDS + j] = j > 0 && v < 0 ? offsets[-v - 1] : v)));
    this.batch = { capacity: rows, x: offsets[0], y: offsets[-this.plan.output - 1], program };
    return this.batch;
  }
}
