// The large dense products shared with worker threads (the threads build, whose memory
// is shared): the calling thread posts a part to each worker's job block, computes
// the first part itself and spins until the workers are done. Parts are disjoint row
// ranges of the output, cut at multiples of four, so every output element is summed
// in the same order as on one thread and the results are bit-identical.
import { denseForward, matmulTNStrided } from "./gemm";
import { matmulNT } from "./gemm_nt";

// Job block: 16 words, one per worker. [0] state, [1] kind, [2..10] arguments.
const JOB_BYTES: usize = 64;
const IDLE: i32 = 0;
const POSTED: i32 = 1;
const DONE: i32 = 2;
const STOP: i32 = 3;
// Set by the worker's script when its loop trapped (src/backend/wasm-threads.ts).
const FAILED: i32 = 4;

const KIND_DENSE: i32 = 1;
const KIND_NT: i32 = 2;
const KIND_TN: i32 = 3;

// Below this many multiply-adds a product stays on one thread: waking a worker costs
// ~20–30 µs, and 2^22 multiply-adds take ~200 µs on one core, so from here on the
// wake-up is a small part of the time a second thread saves.
const MIN_MACS: i64 = 1 << 22;

// This instance's pool (globals are per instance: workers' own instances never post).
let workers: i32 = 0;
let blocks: usize = 0;

/** Makes this instance share large products with `count` workers whose job blocks start at `at`. */
export function setThreadPool(at: usize, count: i32): void {
  blocks = at;
  workers = count;
}

/** A worker's whole life: wait for a job in its block, run it, mark it done; return on STOP. */
export function workerLoop(block: usize): void {
  for (;;) {
    const state = atomic.load<i32>(block);
    if (state == POSTED) {
      execute(block);
      atomic.store<i32>(block, DONE);
    } else if (state == STOP) {
      return;
    } else {
      atomic.wait<i32>(block, state, -1);
    }
  }
}

/** Ends every worker's loop. */
export function stopThreadPool(): void {
  for (let i = 0; i < workers; i++) {
    const block = blocks + <usize>i * JOB_BYTES;
    atomic.store<i32>(block, STOP);
    atomic.notify(block, 1);
  }
  workers = 0;
}

@inline function arg(block: usize, i: i32): i32 {
  return load<i32>(block + (<usize>(i + 2) << 2));
}

function execute(block: usize): void {
  const kind = load<i32>(block, 4);
  const a = <usize>arg(block, 0), b = <usize>arg(block, 1), c = <usize>arg(block, 2), d = <usize>arg(block, 3);
  if (kind == KIND_DENSE) {
    denseForward(a, b, c, d, arg(block, 4), arg(block, 5), arg(block, 6), arg(block, 7), reinterpret<f32>(arg(block, 8)));
  } else if (kind == KIND_NT) {
    matmulNT(a, b, c, arg(block, 3), arg(block, 4), arg(block, 5), arg(block, 6));
  } else {
    matmulTNStrided(a, <usize>arg(block, 3), b, c, arg(block, 4), arg(block, 5), arg(block, 6), arg(block, 7));
  }
}

function post(worker: i32, kind: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32, a6: i32, a7: i32, a8: i32): void {
  const block = blocks + <usize>worker * JOB_BYTES;
  store<i32>(block, kind, 4);
  store<i32>(block, a0, 8);
  store<i32>(block, a1, 12);
  store<i32>(block, a2, 16);
  store<i32>(block, a3, 20);
  store<i32>(block, a4, 24);
  store<i32>(block, a5, 28);
  store<i32>(block, a6, 32);
  store<i32>(block, a7, 36);
  store<i32>(block, a8, 40);
  // The atomic store orders the plain stores above before the worker can see POSTED.
  atomic.store<i32>(block, POSTED);
  atomic.notify(block, 1);
}

function awaitWorkers(parts: i32): void {
  for (let i = 0; i < parts - 1; i++) {
    const block = blocks + <usize>i * JOB_BYTES;
    let state = atomic.load<i32>(block);
    while (state != DONE) {
      // A worker that trapped will never finish its part: trap here too, rather than spin forever.
      if (state == FAILED) unreachable();
      state = atomic.load<i32>(block);
    }
    atomic.store<i32>(block, IDLE);
  }
}

/** How many threads share `count` output rows of a product of `macs` multiply-adds. */
@inline function partsFor(count: i32, macs: i64): i32 {
  if (workers == 0 || macs < MIN_MACS) return 1;
  return min(workers + 1, count >> 3);
}

/** Start of part p of `count` rows in `parts`, a multiple of 4. */
@inline function cut(count: i32, parts: i32, p: i32): i32 {
  return p == parts ? count : ((<i32>(<i64>count * p / parts)) & ~3);
}

/** denseForward with its rows shared (see the file comment). */
export function denseForwardShared(
  x: usize, w: usize, b: usize, y: usize, rows: i32, inDim: i32, outDim: i32, act: i32, alpha: f32,
): void {
  const parts = partsFor(rows, <i64>rows * inDim * outDim);
  if (parts <= 1) {
    denseForward(x, w, b, y, rows, inDim, outDim, act, alpha);
    return;
  }
  const xr = inDim << 2, yr = outDim << 2;
  for (let p = 1; p < parts; p++) {
    const r0 = cut(rows, parts, p), r1 = cut(rows, parts, p + 1);
    post(p - 1, KIND_DENSE, <i32>x + r0 * xr, <i32>w, <i32>b, <i32>y + r0 * yr, r1 - r0, inDim, outDim, act, reinterpret<i32>(alpha));
  }
  denseForward(x, w, b, y, cut(rows, parts, 1), inDim, outDim, act, alpha);
  awaitWorkers(parts);
}

/** matmulNT (c (+)= a·bᵀ) with its rows shared. */
export function matmulNTShared(a: usize, b: usize, c: usize, rows: i32, k: i32, n: i32, accumulate: i32): void {
  const parts = partsFor(rows, <i64>rows * k * n);
  if (parts <= 1) {
    matmulNT(a, b, c, rows, k, n, accumulate);
    return;
  }
  for (let p = 1; p < parts; p++) {
    const r0 = cut(rows, parts, p), r1 = cut(rows, parts, p + 1);
    post(p - 1, KIND_NT, <i32>a + r0 * (k << 2), <i32>b, <i32>c + r0 * (n << 2), r1 - r0, k, n, accumulate, 0, 0);
  }
  matmulNT(a, b, c, cut(rows, parts, 1), k, n, accumulate);
  awaitWorkers(parts);
}

/** matmulTN (c (+)= aᵀ·b, c [m×n]) with the rows of c shared: each part reads its own columns of a. */
export function matmulTNShared(a: usize, b: usize, c: usize, rows: i32, m: i32, n: i32, accumulate: i32): void {
  const parts = partsFor(m, <i64>rows * m * n);
  const xk = <usize>m << 2;
  if (parts <= 1) {
    matmulTNStrided(a, xk, b, c, rows, m, n, accumulate);
    return;
  }
  for (let p = 1; p < parts; p++) {
    const i0 = cut(m, parts, p), i1 = cut(m, parts, p + 1);
    post(p - 1, KIND_TN, <i32>a + (i0 << 2), <i32>b, <i32>c + i0 * (n << 2), <i32>xk, rows, i1 - i0, n, accumulate, 0);
  }
  matmulTNStrided(a, xk, b, c, rows, cut(m, parts, 1), n, accumulate);
  awaitWorkers(parts);
}
