// The contract both backends fulfil. Every pointer is a byte offset into the
// backend's heap; kernels never allocate and never keep views between calls.
// Each kernel's meaning is documented on its opcode in ops.ts; the argument
// order here is the record's order, with `rows` inserted where a batch matters.

/** Float storage: a Float32Array, except in the JS backend's float64 mode (gradient checks). */
export type FloatArray = Float32Array | Float64Array;

export interface Heap {
  /** Current byte length; views below are re-created whenever it grows. */
  readonly byteLength: number;
  /** Indexed by byteOffset >> 2. */
  readonly f32: FloatArray;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly u8: Uint8Array;
  /** Grow (never shrink) so that at least `bytes` are addressable. */
  ensure(bytes: number): void;
}

export type BackendKind = 'wasm' | 'js';

export interface Kernels {
  readonly kind: BackendKind;
  readonly heap: Heap;
  /** First heap byte the engine may use; the backend keeps the bytes below for itself. */
  readonly heapStart: number;
  /** Threads that share this backend's large products (1 unless worker threads run). */
  readonly threads: number;
  /** Releases what the backend holds beyond its heap (worker threads). */
  dispose(): void;

  /** Interpret `nOps` records starting at byte offset `program`, with the batch row count `rows`. */
  run(program: number, nOps: number, rows: number): void;

  denseForward(x: number, w: number, b: number, y: number, rows: number, inDim: number, outDim: number, act: number, alpha: number): void;
  matmulNT(a: number, b: number, c: number, rows: number, k: number, n: number, accumulate: number): void;
  matmulTN(a: number, b: number, c: number, rows: number, m: number, n: number, accumulate: number): void;
  activationForward(x: number, y: number, rows: number, cols: number, act: number, alpha: number): void;
  activationBackward(y: number, dy: number, dx: number, rows: number, cols: number, act: number, alpha: number): void;
  denseBackwardEpilogue(y: number, dy: number, db: number, rows: number, cols: number, act: number, alpha: number, accumulate: number): void;
  maxoutForward(z: number, y: number, arg: number, rows: number, units: number, k: number): void;
  maxoutBackward(dy: number, arg: number, dz: number, rows: number, units: number, k: number): void;
  softmaxCrossEntropy(z: number, t: number, p: number, dz: number, rows: number, cols: number, lossSum: number, reduction: number): void;
  sigmoidCrossEntropy(z: number, t: number, p: number, dz: number, rows: number, cols: number, lossSum: number, reduction: number): void;
  meanSquaredError(y: number, t: number, dy: number, rows: number, cols: number, lossSum: number, reduction: number): void;
  countCorrect(p: number, t: number, rows: number, cols: number, correct: number): void;
  sgdUpdate(w: number, g: number, n: number, lr: number): void;
  fill(ptr: number, n: number, value: number): void;
  narrowStep(table: number, layers: number, lossKind: number, t: number, lossSum: number, correct: number, reduction: number, hyper: number): void;
  /** The element-wise and batch-norm kernels of the deep layers; n counts floats. See ops.ts for each. */
  dropoutForward(x: number, y: number, mask: number, n: number, state: number, threshold: number, scale: number): void;
  multiply(a: number, b: number, y: number, n: number): void;
  add(a: number, b: number, y: number, n: number, accumulate: number): void;
  copy(src: number, dst: number, n: number): void;
  batchNormForward(x: number, y: number, xhat: number, gamma: number, beta: number, stats: number, running: number, rows: number, cols: number, eps: number, training: number): void;
  batchNormBackward(dy: number, xhat: number, gamma: number, stats: number, dgamma: number, dbeta: number, dx: number, rows: number, cols: number): void;
  batchNormUpdate(stats: number, running: number, rows: number, cols: number, momentum: number): void;
  /** Σg² into the optimizer block at `hyper`; 0 (and its status set) when it or the loss sum is not finite, else 1. */
  guard(g: number, n: number, lossSum: number, hyper: number): number | boolean;
  /** Count the step in the block at `hyper` and return its learning rate (the schedule's, or the base rate). */
  beginStep(hyper: number): number;
  optimizerStep(kind: number, w: number, g: number, m: number, v: number, n: number, hyper: number): void;
  /** Seeded Fisher–Yates over n u32 row indices at `order`; `state` holds the 4×u32 sfc32 state, advanced in place. */
  shuffle(order: number, n: number, state: number): void;
  /**
   * Rows [start, end) of `order`, in batches of `batch`: gather each batch's rows of
   * x [·×p] and t [·×q] into stageX/stageT and run the program with that row count.
   * Stops at a refused step (the i32 at `status` nonzero), storing that batch's first
   * row at status + 4; returns false (0) then.
   */
  trainBatches(
    program: number, nOps: number, x: number, t: number, order: number,
    start: number, end: number, batch: number, p: number, q: number, stageX: number, stageT: number, status: number,
  ): number | boolean;
  /**
   * `epochs` whole epochs over rows 0..n−1: each shuffled first unless `state` is 0,
   * with the f64 accumulators at lossSum and correct zeroed, trained, and their totals
   * stored in the f64 arrays lossOut[e] and correctOut[e]. A refused step ends the
   * call, its epoch stored at status + 8.
   */
  trainEpochs(
    program: number, nOps: number, x: number, t: number, order: number, n: number, batch: number, p: number, q: number,
    stageX: number, stageT: number, epochs: number, state: number, lossSum: number, correct: number, lossOut: number, correctOut: number, status: number,
  ): void;
  /** Index of the first NaN or ±Infinity among n floats at ptr, or −1: inputs are checked once staged. */
  firstNonFinite(ptr: number, n: number): number;
  /** dst[i] = e^src[i] for n floats; exposed so the vectorized exp can be tested on its own. */
  exp(src: number, dst: number, n: number): void;
}
