// The only file that knows WebAssembly exists (with wasm-threads.ts, its workers).
// A module is compiled once per process; every model gets its own instance over its
// own memory, so dispose() frees everything and two models never share a heap. Builds of
// the same kernels: relaxed SIMD (fused multiply-add) where the engine validates it, plain
// SIMD128 everywhere else, and each of the two over shared memory for models that share
// their large products with worker threads. Which one runs is decided by validating a
// few-byte probe, and only that build is imported (a dynamic import: a chunk of its own in
// a bundle, fetched when it is needed).

import { MemoryHeap } from './heap.js';
import { hasKernelSource, kernelSourceGeneration, providedBytes } from './kernel-source.js';
import { hasGunzip, hasRelaxedSimd, hasSimd, hasWebAssembly, moduleBytes } from './probe.js';
import type { Kernels } from './kernels.js';
import { Act, Hyper, LossKind, OP_WORDS, Op, STEP_LAYER_WORDS } from './ops.js';
import { JOB_BLOCKS_AT, JOB_BYTES, SHARED_MAX_PAGES, startWorkers } from './wasm-threads.js';

type KernelExports = Omit<Kernels, 'kind' | 'heap' | 'heapStart' | 'threads' | 'dispose'> & {
  setThreadPool?(at: number, count: number): void;
  stopThreadPool?(): void;
};

/** Which build of the kernels runs: plain 128-bit SIMD or relaxed SIMD. */
export type SimdVariant = 'simd128' | 'relaxed-simd';

let chosen: SimdVariant | undefined;
let compiled: Promise<WebAssembly.Module> | undefined;
let compiledThreads: Promise<WebAssembly.Module> | undefined;
/** The kernel source the cached modules came from (kernel-source.ts). */
let compiledFrom = 0;

/** Forget the compiled modules when setKernelSource has changed the source since. */
function sameSource(): void {
  if (compiledFrom === kernelSourceGeneration()) return;
  compiled = compiledThreads = undefined;
  compiledFrom = kernelSourceGeneration();
}

/** The relaxed build where it validates (Chromium, newer Node; Node 20 only behind a flag), else the plain one. */
function chosenVariant(): SimdVariant {
  chosen ??= hasRelaxedSimd() ? 'relaxed-simd' : 'simd128';
  return chosen;
}

type Build = SimdVariant | 'threads' | 'threads-relaxed-simd';

/** Each build's embedded module, imported when first needed: a chunk of its own in a bundle. */
const EMBEDDED = new Map<Build, () => Promise<{ GZIP_BASE64: string }>>([
  ['simd128', () => import('../generated/kernels-simd.js')],
  ['relaxed-simd', () => import('../generated/kernels-relaxed.js')],
  ['threads', () => import('../generated/kernels-threads.js')],
  ['threads-relaxed-simd', () => import('../generated/kernels-threads-relaxed.js')],
]);

/** The bytes of one build: from setKernelSource's source, else the embedded one. */
async function buildBytes(build: Build): Promise<Uint8Array> {
  const given = await providedBytes(build);
  if (given) return given;
  const { GZIP_BASE64 } = await (EMBEDDED.get(build) as () => Promise<{ GZIP_BASE64: string }>)();
  return moduleBytes(GZIP_BASE64);
}

/** Why the WASM backend can or cannot run here; null when it can. */
export function wasmUnavailableReason(): string | null {
  if (!hasWebAssembly()) return 'this engine has no WebAssembly';
  // The kernels use 128-bit SIMD throughout: they run exactly where SIMD validates.
  if (!hasSimd()) return 'this engine has WebAssembly but not its SIMD extension';
  if (!hasGunzip() && !hasKernelSource()) return 'this engine has no DecompressionStream to unpack the kernels (setKernelSource can give them unpacked)';
  return null;
}

/** The build the WASM backend runs in this process, or null when it cannot run. */
export function wasmVariant(): SimdVariant | null {
  return wasmUnavailableReason() === null ? chosenVariant() : null;
}

function compileOnce(): Promise<WebAssembly.Module> {
  sameSource();
  compiled ??= buildBytes(chosenVariant()).then((bytes) => WebAssembly.compile(bytes as BufferSource)).then((module) => {
    warmUp(module, false);
    return module;
  });
  return compiled;
}

/** The threads build of the same SIMD variant as the one-thread build, so any number of threads computes the same bits. */
function compileThreadsOnce(): Promise<WebAssembly.Module> {
  sameSource();
  compiledThreads ??= buildBytes(chosenVariant() === 'relaxed-simd' ? 'threads-relaxed-simd' : 'threads').then((bytes) => WebAssembly.compile(bytes as BufferSource)).then((module) => {
    warmUp(module, true);
    return module;
  });
  return compiledThreads;
}

export class WasmKernels implements Kernels {
  readonly kind = 'wasm' as const;
  readonly heap: MemoryHeap;
  /** The build these kernels come from. */
  readonly simd: SimdVariant;
  /** Threads sharing the large products: this one and its workers. */
  threads = 1;
  /** Below it: the workers' job blocks. */
  readonly heapStart: number;
  private readonly exports: KernelExports;

  private constructor(module: WebAssembly.Module, shared: boolean, workers = 0) {
    const memory = shared ? new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true }) : new WebAssembly.Memory({ initial: 1 });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
    this.exports = exports;
    this.simd = chosenVariant();
    this.heapStart = workers > 0 ? JOB_BLOCKS_AT + workers * JOB_BYTES : 16;
    this.heap = new MemoryHeap(memory);
    this.run = exports.run;
    this.denseForward = exports.denseForward;
    this.matmulNT = exports.matmulNT;
    this.matmulTN = exports.matmulTN;
    this.activationForward = exports.activationForward;
    this.activationBackward = exports.activationBackward;
    this.denseBackwardEpilogue = exports.denseBackwardEpilogue;
    this.maxoutForward = exports.maxoutForward;
    this.maxoutBackward = exports.maxoutBackward;
    this.softmaxCrossEntropy = exports.softmaxCrossEntropy;
    this.sigmoidCrossEntropy = exports.sigmoidCrossEntropy;
    this.meanSquaredError = exports.meanSquaredError;
    this.countCorrect = exports.countCorrect;
    this.sgdUpdate = exports.sgdUpdate;
    this.fill = exports.fill;
    this.narrowStep = exports.narrowStep;
    this.firstNonFinite = exports.firstNonFinite;
    this.exp = exports.exp;
    this.shuffle = exports.shuffle;
    this.trainBatches = exports.trainBatches;
    this.trainEpochs = exports.trainEpochs;
    this.dropoutForward = exports.dropoutForward;
    this.multiply = exports.multiply;
    this.add = exports.add;
    this.copy = exports.copy;
    this.batchNormForward = exports.batchNormForward;
    this.batchNormBackward = exports.batchNormBackward;
    this.batchNormUpdate = exports.batchNormUpdate;
    this.guard = exports.guard;
    this.beginStep = exports.beginStep;
    this.optimizerStep = exports.optimizerStep;
  }

  /** Kernels for one model; with threads > 1, large products are shared with threads − 1 worker threads (Node). */
  static async create(threads = 1): Promise<WasmKernels> {
    if (threads <= 1) return new WasmKernels(await compileOnce(), false);
    const module = await compileThreadsOnce();
    const kernels = new WasmKernels(module, true, threads - 1);
    kernels.heap.ensure(kernels.heapStart);
    kernels.heap.u8.fill(0, JOB_BLOCKS_AT, kernels.heapStart);
    await startWorkers(module, kernels.heap.memory, threads - 1);
    kernels.exports.setThreadPool?.(JOB_BLOCKS_AT, threads - 1);
    kernels.threads = threads;
    return kernels;
  }

  /** Synchronous creation for a module compiled earlier in this process (no workers). */
  static fromModule(module: WebAssembly.Module, shared = false): WasmKernels {
    return new WasmKernels(module, shared);
  }

  /** Ends the worker threads, if any; the kernels keep working on this thread alone. */
  dispose(): void {
    if (this.threads === 1) return;
    this.exports.stopThreadPool?.();
    this.threads = 1;
  }

  run: Kernels['run'];
  denseForward: Kernels['denseForward'];
  matmulNT: Kernels['matmulNT'];
  matmulTN: Kernels['matmulTN'];
  activationForward: Kernels['activationForward'];
  activationBackward: Kernels['activationBackward'];
  denseBackwardEpilogue: Kernels['denseBackwardEpilogue'];
  maxoutForward: Kernels['maxoutForward'];
  maxoutBackward: Kernels['maxoutBackward'];
  softmaxCrossEntropy: Kernels['softmaxCrossEntropy'];
  sigmoidCrossEntropy: Kernels['sigmoidCrossEntropy'];
  meanSquaredError: Kernels['meanSquaredError'];
  countCorrect: Kernels['countCorrect'];
  sgdUpdate: Kernels['sgdUpdate'];
  fill: Kernels['fill'];
  narrowStep: Kernels['narrowStep'];
  firstNonFinite: Kernels['firstNonFinite'];
  exp: Kernels['exp'];
  shuffle: Kernels['shuffle'];
  trainBatches: Kernels['trainBatches'];
  trainEpochs: Kernels['trainEpochs'];
  dropoutForward: Kernels['dropoutForward'];
  multiply: Kernels['multiply'];
  add: Kernels['add'];
  copy: Kernels['copy'];
  batchNormForward: Kernels['batchNormForward'];
  batchNormBackward: Kernels['batchNormBackward'];
  batchNormUpdate: Kernels['batchNormUpdate'];
  guard: Kernels['guard'];
  beginStep: Kernels['beginStep'];
  optimizerStep: Kernels['optimizerStep'];
}

/**
 * V8 runs a wasm function's first calls in its baseline tier and optimizes it
 * only after it has run for a while; exercising every kernel once per process
 * moves that cost out of the first training steps.
 */
function warmUp(module: WebAssembly.Module, shared: boolean): void {
  const k = WasmKernels.fromModule(module, shared);
  const n = 24;
  k.heap.ensure(8 * n * n * 4 + 64);
  const a = 64, b = a + n * n * 4, c = b + n * n * 4, d = c + n * n * 4, e = d + n * n * 4;
  for (let rep = 0; rep < 200; rep++) {
    for (let act = 0; act <= 6; act++) {
      k.denseForward(a, b, c, d, n, n, n, act, 0.1);
      k.activationForward(d, e, n, n, act, 0.1);
      k.activationBackward(e, d, c, n, n, act, 0.1);
      k.denseBackwardEpilogue(e, d, c, n, n, act, 0.1, 0);
    }
    k.matmulNT(a, b, c, n, n, n, 0);
    k.matmulTN(a, b, c, n, n, n, 0);
    k.maxoutForward(a, b, e, n, n / 4, 4);
    k.maxoutBackward(a, e, c, n, n / 4, 4);
    k.softmaxCrossEntropy(a, b, c, d, n, n, e, 0);
    k.sigmoidCrossEntropy(a, b, c, d, n, n, e, 0);
    k.meanSquaredError(a, b, c, n, n, e, 0);
    k.countCorrect(a, b, n, n, e);
    k.sgdUpdate(a, b, n * n, e);
    k.exp(a, b, n * n);
    k.fill(a, n * n, 0);
    warmUpDeep(k, a, b, c, d, e, n, rep);
  }
  warmUpProducts(k);
  warmUpInterpreter(k);
}

/** The deep layers' kernels and the update rules, on the warm-up's buffers (values are of no account). */
function warmUpDeep(k: WasmKernels, a: number, b: number, c: number, d: number, e: number, n: number, rep: number): void {
  // A zeroed optimizer block beyond the five buffers: no schedule table, status clear.
  const hyper = e + n * n * 4;
  k.heap.u8.fill(0, hyper, hyper + Hyper.bytes);
  k.multiply(a, b, c, n * n);
  k.add(a, b, c, n * n, rep & 1);
  k.copy(a, c, n * n);
  k.dropoutForward(a, c, d, n * n, e, 0x20000000, 1.25);
  k.batchNormForward(a, c, d, b, b, e, e, n, n, 1e-3, rep & 1);
  k.batchNormBackward(c, d, b, e, b, b, rep & 1 ? a : 0, n, n);
  k.batchNormUpdate(e, e, n, n, 0.9);
  k.guard(a, n * n, hyper + Hyper.gradSq, hyper);
  k.optimizerStep(rep & 3, c, a, d, b, n * n, hyper);
}

/**
 * `run` is called once per step or prediction, so V8's budget-driven tier-up reaches
 * it last: a prediction stayed ~40% slower for tens of thousands of calls. Running a
 * short program a few thousand times here moves that into start-up (~5 ms).
 */
function warmUpInterpreter(k: WasmKernels): void {
  const program = 64, x = 1024, w = x + 256, b = w + 64 * 10 * 4, y = b + 64;
  k.heap.ensure(y + 64);
  const words = k.heap.i32;
  words.fill(0, program >> 2, (program >> 2) + 2 * OP_WORDS);
  words.set([Op.denseForward, x, w, b, y, 64, 10, Act.softmax, 0], program >> 2);
  words.set([Op.activationForward, y, y, 10, Act.relu, 0], (program >> 2) + OP_WORDS);
  for (let rep = 0; rep < 4000; rep++) k.run(program, 2, 1 + (rep & 3));
  // The epoch drivers are called once per slice of training, so the same holds for them.
  const order = y + 256, state = order + 16, acc = state + 16, log = acc + 16, status = log + 64;
  k.heap.ensure(status + 64);
  words.set([0, 0, 0, 0], order >> 2);
  words.set([1, 2, 3, 4], state >> 2);
  words.fill(0, status >> 2, (status >> 2) + 4);
  for (let rep = 0; rep < 2000; rep++) {
    k.trainBatches(program, 1, x, y, order, 0, 4, 1, 64, 1, x, y, status);
    k.trainEpochs(program, 1, x, y, order, 4, 2, 64, 1, x, y, 1, state, acc, acc + 8, log, log + 8, status);
  }
  warmUpNarrowStep(k, status + 64);
}

/** The fused per-sample step and the epoch driver's shortcut for it, on a 2→4→1 network. */
function warmUpNarrowStep(k: WasmKernels, base: number): void {
  const table = base, program = table + 2 * STEP_LAYER_WORDS * 4, hyper = program + OP_WORDS * 4;
  const w1 = hyper + Hyper.bytes, b1 = w1 + 32, w2 = b1 + 16, b2 = w2 + 16, g = b2 + 16;
  const x = g + 80, y1 = x + 16, y2 = y1 + 16, dy = y2 + 16, t = dy + 16, loss = t + 16, order = loss + 16;
  k.heap.ensure(order + 64);
  const words = k.heap.i32;
  words.fill(0, base >> 2, order >> 2);
  words.set([x, w1, b1, y1, dy, g, g + 32, 2, 4, Act.sigmoid, 0], table >> 2);
  words.set([y1, w2, b2, y2, dy, g + 48, g + 64, 4, 1, Act.sigmoid, 0], (table >> 2) + STEP_LAYER_WORDS);
  words.set([Op.narrowStep, table, 2, LossKind.mse, t, loss, 0, 0, hyper], program >> 2);
  words.set([0, 1, 2, 3], order >> 2);
  k.heap.f32[(hyper + Hyper.lr) >> 2] = 0.1;
  for (let rep = 0; rep < 2000; rep++) k.trainBatches(program, 1, x, t, order, 0, 4, 1, 2, 1, x, t, hyper + Hyper.status);
}

/** The product paths the 24-wide loop above never reaches: batch 1, narrow k and n, packed wide panels. */
function warmUpProducts(k: WasmKernels): void {
  const x = 64, w = x + 4096, y = w + 16384 * 4;
  k.heap.ensure(y + 32768 * 4);
  for (let rep = 0; rep < 100; rep++) {
    k.denseForward(x, w, x, y, 1, 64, 64, 3, 0);
    k.denseForward(x, w, x, y, 1, 64, 3, 1, 0);
    k.denseForward(x, w, x, y, 24, 64, 10, 6, 0);
    k.denseForward(x, w, x, y, 32, 8, 512, 3, 0);
    k.matmulTN(x, w, y, 8, 64, 512, 0);
    k.matmulTN(x, w, y, 24, 24, 10, 0);
    k.matmulNT(x, w, y, 24, 10, 24, 0);
    k.matmulNT(x, w, y, 8, 10, 300, 0);
  }
}
