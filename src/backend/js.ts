// The pure-TypeScript twin of every WASM kernel: the reference the SIMD code is
// tested against, the fallback where WASM SIMD is missing, and the "pure-JS
// path" of the benchmarks. Plain loops in i-k-j order over one float heap.

import { firstNonFinite } from './finite.js';
import { ArrayHeap, type Precision } from './heap.js';
import { activateRow, derivativeRow } from './js-activations.js';
import * as deep from './js-deep.js';
import { narrowStepByOps } from './js-narrow-step.js';
import type { Kernels } from './kernels.js';
import { Act, OP_WORDS, Op, Reduction, fromF32Bits } from './ops.js';


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
    const code = this.heap.i32;
    for (let op = 0, at = program >> 2; op < nOps; op++, at += OP_WORDS) {
      switch (code[at]) {
        case Op.denseForward:
          this.denseForward(code[at + 1], code[at + 2], code[at + 3], code[at + 4], rows, code[at + 5], code[at + 6], code[at + 7], fromF32Bits(code[at + 8]));
          break;
        case Op.matmulNT:
          this.matmulNT(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], code[at + 6]);
          break;
        case Op.matmulTN:
          this.matmulTN(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], code[at + 6]);
          break;
        case Op.activationForward:
          this.activationForward(code[at + 1], code[at + 2], rows, code[at + 3], code[at + 4], fromF32Bits(code[at + 5]));
          break;
        case Op.activationBackward:
          this.activationBackward(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], fromF32Bits(code[at + 6]));
          break;
        case Op.denseBackwardEpilogue:
          this.denseBackwardEpilogue(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], fromF32Bits(code[at + 6]), code[at + 7]);
          break;
        case Op.maxoutForward:
          this.maxoutForward(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5]);
          break;
        case Op.maxoutBackward:
          this.maxoutBackward(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5]);
          break;
        case Op.softmaxCrossEntropy:
          this.softmaxCrossEntropy(code[at + 1], code[at + 2], code[at + 3], code[at + 4], rows, code[at + 5], code[at + 6], code[at + 7]);
          break;
        case Op.sigmoidCrossEntropy:
          this.sigmoidCrossEntropy(code[at + 1], code[at + 2], code[at + 3], code[at + 4], rows, code[at + 5], code[at + 6], code[at + 7]);
          break;
        case Op.meanSquaredError:
          this.meanSquaredError(code[at + 1], code[at + 2], code[at + 3], rows, code[at + 4], code[at + 5], code[at + 6]);
          break;
        case Op.countCorrect:
          this.countCorrect(code[at + 1], code[at + 2], rows, code[at + 3], code[at + 4]);
          break;
        case Op.sgdUpdate:
          this.sgdUpdate(code[at + 1], code[at + 2], code[at + 3], code[at + 4]);
          break;
        case Op.fill:
          this.fill(code[at + 1], code[at + 2], fromF32Bits(code[at + 3]));
          break;
        case Op.narrowStep:
          this.narrowStep(code[at + 1], code[at + 2], code[at + 3], code[at + 4], code[at + 5], code[at + 6], code[at + 7], code[at + 8]);
          break;
        case Op.dropoutForward:
          this.dropoutForward(code[at + 1], code[at + 2], code[at + 3], rows * code[at + 4], code[at + 5], code[at + 6], fromF32Bits(code[at + 7]));
          break;
        case Op.multiply:
          this.multiply(code[at + 1], code[at + 2], code[at + 3], rows * code[at + 4]);
          break;
        case Op.add:
          this.add(code[at + 1], code[at + 2], code[at + 3], rows * code[at + 4], code[at + 5]);
          break;
        case Op.copy:
          this.copy(code[at + 1], code[at + 2], rows * code[at + 3]);
          break;
        case Op.batchNormForward:
          this.batchNormForward(code[at + 1], code[at + 2], code[at + 3], code[at + 4], code[at + 5], code[at + 6], code[at + 7], rows, code[at + 8], fromF32Bits(code[at + 9]), code[at + 10]);
          break;
        case Op.batchNormBackward:
          this.batchNormBackward(code[at + 1], code[at + 2], code[at + 3], code[at + 4], code[at + 5], code[at + 6], code[at + 7], rows, code[at + 8]);
          break;
        case Op.batchNormUpdate:
          this.batchNormUpdate(code[at + 1], code[at + 2], rows, code[at + 3], fromF32Bits(code[at + 4]));
          break;
        case Op.guard:
          // A refused step ends the program: no update follows it.
          if (!this.guard(code[at + 1], code[at + 2], code[at + 3], code[at + 4])) return;
          break;
        case Op.optimizerStep:
          this.optimizerStep(code[at + 1], code[at + 2], code[at + 3], code[at + 4], code[at + 5], code[at + 6], code[at + 7]);
          break;
        default:
          throw new Error(`program: unknown opcode ${code[at]} in record ${op}`);
      }
    }
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
    const f = this.heap.f32;
    const scale = reduction === Reduction.mean ? 1 / rows : 1;
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      const zr = (z >> 2) + r * cols, tr = (t >> 2) + r * cols;
      const pr = (p >> 2) + r * cols, dr = (dz >> 2) + r * cols;
      let max = -Infinity;
      for (let j = 0; j < cols; j++) if (f[zr + j] > max) max = f[zr + j];
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += Math.exp(f[zr + j] - max);
      const lse = max + Math.log(sum);
      for (let j = 0; j < cols; j++) {
        const logp = f[zr + j] - lse;
        const tj = f[tr + j];
        if (tj !== 0) loss -= tj * logp;
        const pj = Math.exp(logp);
        f[pr + j] = pj;
        f[dr + j] = (pj - tj) * scale;
      }
    }
    this.heap.f64[lossSum >> 3] += loss;
  }

  sigmoidCrossEntropy(z: number, t: number, p: number, dz: number, rows: number, cols: number, lossSum: number, reduction: number): void {
    const f = this.heap.f32;
    const n = rows * cols;
    const scale = reduction === Reduction.mean ? 1 / n : 1;
    const zi = z >> 2, ti = t >> 2, pi = p >> 2, di = dz >> 2;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const zv = f[zi + i], tv = f[ti + i];
      loss += Math.max(zv, 0) - zv * tv + Math.log1p(Math.exp(-Math.abs(zv)));
      const pv = 1 / (1 + Math.exp(-zv));
      f[pi + i] = pv;
      f[di + i] = (pv - tv) * scale;
    }
    this.heap.f64[lossSum >> 3] += loss;
  }

  meanSquaredError(y: number, t: number, dy: number, rows: number, cols: number, lossSum: number, reduction: number): void {
    const f = this.heap.f32;
    const n = rows * cols;
    const scale = reduction === Reduction.mean ? 2 / n : 2;
    const yi = y >> 2, ti = t >> 2, di = dy >> 2;
    // In float32, squares that overflow are infinite, as the kernel's are: the guard sees the same loss.
    const round = this.heap.precision === 'float32' ? Math.fround : (v: number) => v;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const e = f[yi + i] - f[ti + i];
      loss += round(e * e);
      f[di + i] = e * scale;
    }
    this.heap.f64[lossSum >> 3] += loss;
  }

  countCorrect(p: number, t: number, rows: number, cols: number, correct: number): void {
    const f = this.heap.f32;
    let hits = 0;
    for (let r = 0; r < rows; r++) {
      const pr = (p >> 2) + r * cols, tr = (t >> 2) + r * cols;
      if (cols === 1) {
        if (f[pr] >= 0.5 === f[tr] >= 0.5) hits++;
        continue;
      }
      let bp = 0, bt = 0;
      for (let j = 1; j < cols; j++) {
        if (f[pr + j] > f[pr + bp]) bp = j;
        if (f[tr + j] > f[tr + bt]) bt = j;
      }
      if (bp === bt) hits++;
    }
    this.heap.f64[correct >> 3] += hits;
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
