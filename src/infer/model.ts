// A model for inference only: the forward program of a .simdnet file's layers
// (infer/plan.ts), its weights in a WebAssembly memory of its own, one run per call.

import { type Matrix, type MatrixInput, classesOf, nonFiniteError, toMatrix } from '../data.js';
import { DisposedError, ResourceError } from '../errors.js';
import { MAX_HEAP_BYTES, formatBytes } from '../limits.js';
import { OP_WORDS } from '../backend/ops.js';
import { chunkRows, copyOut, predictRows } from '../plan.js';
import type { SimdVariant } from '../backend/wasm.js';
import type { InferencePlan } from './plan.js';
import { type InferenceExports, type InferenceKernels, instantiate } from './wasm.js';

const PAGE = 65536;
const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

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
  private memory: WebAssembly.Memory | null;
  private readonly exports: InferenceExports;
  private readonly rowBytes: number;
  private batch: Batch | null = null;
  private f32: Float32Array | null = null;

  constructor(kernels: InferenceKernels, private readonly plan: InferencePlan, metadata: Record<string, unknown>) {
    this.inputSize = plan.inputSize;
    this.outputSize = plan.outputSize;
    this.metadata = metadata;
    this.simd = kernels.simd;
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.exports = instantiate(kernels.module, this.memory);
    this.grow(plan.persistentEnd, 'bytes', 'the model');
    plan.fill(new Float32Array(this.memory.buffer));
    this.rowBytes = plan.widths.reduce((n, w) => n + align(w * 4), 0);
  }

  /** Outputs for each row of x (probabilities for softmax and sigmoid outputs): the full library's predict, bit for bit. Synchronous. */
  predict(x: MatrixInput): Matrix {
    const memory = this.live();
    const input = toMatrix(x, 'x', this.inputSize, { deferFinite: true });
    const rows = input.shape[0], p = this.inputSize, q = this.outputSize;
    const batch = this.batchFor(Math.min(rows, predictRows(this.rowBytes)));
    const out = new Float32Array(rows * q);
    const chunk = chunkRows(batch.capacity);
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start);
      const f = this.view(memory);
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
    this.memory = null;
    this.batch = null;
  }

  get disposed(): boolean {
    return this.memory === null;
  }

  /** A float32 view of the memory, made again only after it grew. */
  private view(memory: WebAssembly.Memory): Float32Array {
    if (this.f32?.buffer !== memory.buffer) this.f32 = new Float32Array(memory.buffer);
    return this.f32;
  }

  private live(): WebAssembly.Memory {
    if (!this.memory) throw new DisposedError('model: expected a live model, got one whose dispose() was called');
    return this.memory;
  }

  /** The memory holds `bytes`, or a ResourceError names `argument` and nothing changes. */
  private grow(bytes: number, argument: string, what: string): void {
    const memory = this.live();
    const need = bytes - memory.buffer.byteLength;
    if (need <= 0) return;
    if (bytes > MAX_HEAP_BYTES) throw new ResourceError(`${argument}: expected what fits one model's heap (${formatBytes(MAX_HEAP_BYTES)}, see the README's Limits), got ${what}, which needs ${formatBytes(bytes)}`);
    try {
      memory.grow(Math.ceil(need / PAGE));
    } catch (e) {
      throw new ResourceError(`${argument}: ${what} needs ${formatBytes(bytes)} of memory, which this engine refused (${(e as Error).message})`);
    }
  }

  /** Per-row tensors and the program for `rows` rows, above the weights; kept for calls as large or smaller. */
  private batchFor(rows: number): Batch {
    if (this.batch && this.batch.capacity >= rows) return this.batch;
    const offsets: number[] = [];
    let top = this.plan.persistentEnd;
    for (const width of this.plan.widths) {
      offsets.push(top);
      top = align(top + rows * width * 4);
    }
    const program = top, records = this.plan.records;
    this.grow(program + records.length * OP_WORDS * 4, 'x', `a batch of ${rows.toLocaleString('en-US')} rows`);
    const words = new Int32Array(this.live().buffer, program, records.length * OP_WORDS);
    words.fill(0);
    records.forEach((r, i) => r.forEach((v, j) => (words[i * OP_WORDS + j] = j > 0 && v < 0 ? offsets[-v - 1] : v)));
    this.batch = { capacity: rows, x: offsets[0], y: offsets[-this.plan.output - 1], program };
    return this.batch;
  }
}
