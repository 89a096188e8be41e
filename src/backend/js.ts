// The pure-TypeScript twin of every WASM kernel: the reference the SIMD code is
// tested against, the fallback where WASM SIMD is missing, and the "pure-JS
// path" of the benchmarks. Plain loops in i-k-j order over one float heap.

import { firstNonFinite } from './finite.js';
import { ArrayHeap, type Precision } from './heap.js';
import { activateRow, derivativeRow } from './js-activations.js';
import * as deep from './js-deep.js';
import * as losses from './js-losses.js';
import { interpret } from './js-run.js';
import { narrowStepByOps } from './js-narrow-step.js';
import type { Kernels } from './kernels.js';
import { Act } from './ops.js';


/** One sfc32 step on the state at ints[s..s+4), as assembly/epoch.ts does it. */
function sfc32(ints: Int32Array, s: number): number {
  const a = ints[s], b = ints[s + 1], c = ints[s + 2], d = ints[s + 3];
  const t = (((a + b) | 0) + d) | 0;
  ints[s] = b ^ (b >>> 9);
  ints[s + 1] = (c + (c << 3)) | 0;
  ints[s + 2] = (((c << 21) | (c >>> 11)) + t) | 0;
  ints[s + 3] = (d + 1) | 0;
  return t >>> 0;
}

/** ⌊u·n / 2³²⌋ exactly, for u a u32 and n < 2³², in doubles (split u so no product passes 2⁵³). */
function mulHigh(u: number, n: number): number {
  const hi = u >>> 16, lo = u & 0xffff;
  return Math.floor((hi * n + Math.floor((lo * n) / 65536)) / 65536);
}

export class JsKernels implements Kernels {
  readonly kind = 'js' as const;
  readonly heap: ArrayHeap;
  readonly heapStart = 16;
  readonly threads = 1;

  constructor(precision: Precision = 'float32') {
    this.heap = new ArrayHeap(precision);
  }

  run(program: number, nOps: number, rows: number): void {
    interpret(this, program, nOps, rows);
  }

  denseForward(x: number, w: number, b: number, y: number, rows: number, inDim: number, outDim: number, act: number, alpha: number): void {
    const f = this.heap.f32;
    const xi = x >> 2, wi = w >> 2, bi = b >> 2, yi = y >> 2;
    const k4 = inDim & ~3;
    for (let r = 0; r < rows; r++) {
      const yr = yi + r * outDim, xr = xi + r * inDim;
      for (let j = 0; j < outDim; j++) f[yr + j] = f[bi + j];
      // Four rows of W per pass over y: the float32 loads and stores of y, not the
      // multiplies, bound this loop in JS.
      for (let k = 0; k < k4; k += 4) {
        const x0 = f[xr + k], x1 = f[xr + k + 1], x2 = f[xr + k + 2], x3 = f[xr + k + 3];
        if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
        const w0 = wi + k * outDim, w1 = w0 + outDim, w2 = w1 + outDim, w3 = w2 + outDim;
        for (let j = 0; j < outDim; j++) f[yr + j] += x0 * f[w0 + j] + x1 * f[w1 + j] + x2 * f[w2 + j] + x3 * f[w3 + j];
      }
      for (let k = k4; k < inDim; k++) {
        const xv = f[xr + k];
        if (xv === 0) continue;
        const wk = wi + k * outDim;
        for (let j = 0; j < outDim; j++) f[yr + j] += xv * f[wk + j];
      }
      if (act !== Act.linear) activateRow(f, yr, yr, outDim, act, alpha);
    }
  }

  matmulNT(a: number, b: number, c: number, rows: number, k: number, n: number, accumulate: number): void {
    const f = this.heap.f32;
    const ai = a >> 2, bi = b >> 2, ci = c >> 2;
    for (let r = 0; r < rows; r++) {
      const ar = ai + r * k;
      for (let i = 0; i < n; i++) {
        const bn = bi + i * k;
        let s = 0;
        for (let j = 0; j < k; j++) s += f[ar + j] * f[bn + j];
        f[ci + r * n + i] = accumulate ? f[ci + r * n + i] + s : s;
      }
    }
  }

  matmulTN(a: number, b: number, c: number, rows: number, m: number, n: number, accumulate: number): void {
    const f = this.heap.f32;
    const ai = a >> 2, bi = b >> 2, ci = c >> 2;
    if (!accumulate) f.fill(0, ci, ci + m * n);
    const r4 = rows & ~3;
    // Four rows of A and B per pass over C, as in denseForward.
    for (let r = 0; r < r4; r += 4) {
      const b0 = bi + r * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      const a0 = ai + r * m;
      for (let i = 0; i < m; i++) {
        const v0 = f[a0 + i], v1 = f[a0 + m + i], v2 = f[a0 + 2 * m + i], v3 = f[a0 + 3 * m + i];
        if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
        const cr = ci + i * n;
        for (let j = 0; j < n; j++) f[cr + j] += v0 * f[b0 + j] + v1 * f[b1 + j] + v2 * f[b2 + j] + v3 * f[b3 + j];
      }
    }
    for (let r = r4; r < rows; r++) {
      const br = bi + r * n;
      for (let i = 0; i < m; i++) {
        const av = f[ai + r * m + i];
        if (av === 0) continue;
        const cr = ci + i * n;
        for (let j = 0; j < n; j++) f[cr + j] += av * f[br + j];
      }
    }
  }

  activationForward(x: number, y: number, rows: number, cols: number, act: number, alpha: number): void {
    const f = this.heap.f32;
    for (let r = 0; r < rows; r++) activateRow(f, (x >> 2) + r * cols, (y >> 2) + r * cols, cols, act, alpha);
  }

  activationBackward(y: number, dy: number, dx: number, rows: number, cols: number, act: number, alpha: number): void {
    const f = this.heap.f32;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      derivativeRow(f, (y >> 2) + o, (dy >> 2) + o, (dx >> 2) + o, cols, act, alpha);
    }
  }

  denseBackwardEpilogue(y: number, dy: number, db: number, rows: number, cols: number, act: number, alpha: number, accumulate: number): void {
    this.activationBackward(y, dy, dy, rows, cols, act, alpha);
    const f = this.heap.f32;
    const dyi = dy >> 2, dbi = db >> 2;
    if (!accumulate) f.fill(0, dbi, dbi + cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) f[dbi + j] += f[dyi + r * cols + j];
  }

  maxoutForward(z: number, y: number, arg: number, rows: number, units: number, k: number): void {
    const f = this.heap.f32, ints = this.heap.i32;
    const zi = z >> 2, yi = y >> 2, ai = arg >> 2;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < units; j++) {
        const base = zi + (r * units + j) * k;
        let best = 0;
        for (let m = 1; m < k; m++) if (f[base + m] > f[base + best]) best = m;
        f[yi + r * units + j] = f[base + best];
        ints[ai + r * units + j] = best;
      }
    }
  }

  maxoutBackward(dy: number, arg: number, dz: number, rows: number, units: number, k: number): void {
    const f = this.heap.f32, ints = this.heap.i32;
    const dyi = dy >> 2, ai = arg >> 2, dzi = dz >> 2;
    for (let u = 0; u < rows * units; u++) {
      const winner = ints[ai + u];
      for (let m = 0; m < k; m++) f[dzi + u * k + m] = m === winner ? f[dyi + u] : 0;
    }
  }

  softmaxCrossEntropy(z: number, t: number, p: number, dz: number, rows: number, cols: number, lossSum: number, reduction: number): void {
    losses.softmaxCrossEntropy(this.heap, z, t, p, dz, rows, cols, lossSum, reduction);
  }

  sigmoidCrossEntropy(z: number, t: number, p: number, dz: number, rows: number, cols: number, lossSum: number, reduction: number): void {
    losses.sigmoidCrossEntropy(this.heap, z, t, p, dz, rows, cols, lossSum, reduction);
  }

  meanSquaredError(y: number, t: number, dy: number, rows: number, cols: number, lossSum: number, reduction: number): void {
    losses.meanSquaredError(this.heap, y, t, dy, rows, cols, lossSum, reduction);
  }

  countCorrect(p: number, t: number, rows: number, cols: number, correct: number): void {
    losses.countCorrect(this.heap, p, t, rows, cols, correct);
  }

  sgdUpdate(w: number, g: number, n: number, lr: number): void {
    const f = this.heap.f32;
    const rate = f[lr >> 2], wi = w >> 2, gi = g >> 2;
    for (let i = 0; i < n; i++) f[wi + i] -= rate * f[gi + i];
  }

  fill(ptr: number, n: number, value: number): void {
    this.heap.f32.fill(value, ptr >> 2, (ptr >> 2) + n);
  }

  narrowStep(table: number, layers: number, lossKind: number, t: number, lossSum: number, correct: number, reduction: number, hyper: number): void {
    narrowStepByOps(this, table, layers, lossKind, t, lossSum, correct, reduction, hyper);
  }

  dropoutForward(x: number, y: number, mask: number, n: number, state: number, threshold: number, scale: number): void {
    deep.dropoutForward(this.heap, x, y, mask, n, state, threshold, scale);
  }

  multiply(a: number, b: number, y: number, n: number): void {
    deep.multiply(this.heap, a, b, y, n);
  }

  add(a: number, b: number, y: number, n: number, accumulate: number): void {
    deep.add(this.heap, a, b, y, n, accumulate);
  }

  copy(src: number, dst: number, n: number): void {
    deep.copy(this.heap, src, dst, n);
  }

  batchNormForward(x: number, y: number, xhat: number, gamma: number, beta: number, stats: number, running: number, rows: number, cols: number, eps: number, training: number): void {
    deep.batchNormForward(this.heap, x, y, xhat, gamma, beta, stats, running, rows, cols, eps, training);
  }

  batchNormBackward(dy: number, xhat: number, gamma: number, stats: number, dgamma: number, dbeta: number, dx: number, rows: number, cols: number): void {
    deep.batchNormBackward(this.heap, dy, xhat, gamma, stats, dgamma, dbeta, dx, rows, cols);
  }

  batchNormUpdate(stats: number, running: number, rows: number, cols: number, momentum: number): void {
    deep.batchNormUpdate(this.heap, stats, running, rows, cols, momentum);
  }

  guard(g: number, n: number, lossSum: number, hyper: number): boolean {
    return deep.guard(this.heap, g, n, lossSum, hyper);
  }

  beginStep(hyper: number): number {
    return deep.beginStep(this.heap, hyper);
  }

  optimizerStep(kind: number, w: number, g: number, m: number, v: number, n: number, hyper: number): void {
    deep.optimizerStep(this.heap, kind, w, g, m, v, n, hyper);
  }

  dispose(): void {}

  firstNonFinite(ptr: number, n: number): number {
    const at = firstNonFinite(this.heap.f32, ptr >> 2, (ptr >> 2) + n);
    return at < 0 ? -1 : at - (ptr >> 2);
  }

  shuffle(order: number, n: number, state: number): void {
    const ints = this.heap.i32, s = state >> 2;
    for (let i = n - 1; i > 0; i--) {
      const j = mulHigh(sfc32(ints, s), i + 1);
      const pi = (order >> 2) + i, pj = (order >> 2) + j;
      const t = ints[pi];
      ints[pi] = ints[pj];
      ints[pj] = t;
    }
  }

  trainBatches(program: number, nOps: number, x: number, t: number, order: number, start: number, end: number, batch: number, p: number, q: number, stageX: number, stageT: number, status: number): boolean {
    for (let s = start; s < end; s += batch) {
      const rows = Math.min(batch, end - s);
      const f = this.heap.f32, ints = this.heap.i32;
      for (let r = 0; r < rows; r++) {
        const i = ints[(order >> 2) + s + r] >>> 0;
        f.copyWithin((stageX >> 2) + r * p, (x >> 2) + i * p, (x >> 2) + (i + 1) * p);
        f.copyWithin((stageT >> 2) + r * q, (t >> 2) + i * q, (t >> 2) + (i + 1) * q);
      }
      this.run(program, nOps, rows);
      if (this.heap.i32[status >> 2] !== 0) {
        this.heap.i32[(status >> 2) + 1] = s;
        return false;
      }
    }
    return true;
  }

  trainEpochs(program: number, nOps: number, x: number, t: number, order: number, n: number, batch: number, p: number, q: number, stageX: number, stageT: number, epochs: number, state: number, lossSum: number, correct: number, lossOut: number, correctOut: number, status: number): void {
    const acc = this.heap.f64;
    for (let e = 0; e < epochs; e++) {
      if (state !== 0) this.shuffle(order, n, state);
      acc[lossSum >> 3] = 0;
      acc[correct >> 3] = 0;
      if (!this.trainBatches(program, nOps, x, t, order, 0, n, batch, p, q, stageX, stageT, status)) {
        this.heap.i32[(status >> 2) + 2] = e;
        return;
      }
      acc[(lossOut >> 3) + e] = acc[lossSum >> 3];
      acc[(correctOut >> 3) + e] = acc[correct >> 3];
    }
  }

  exp(src: number, dst: number, n: number): void {
    const f = this.heap.f32;
    for (let i = 0; i < n; i++) f[(dst >> 2) + i] = Math.exp(f[(src >> 2) + i]);
  }
}
