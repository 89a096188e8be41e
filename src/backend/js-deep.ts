// The JS twins of the deep-network kernels: dropout, element-wise sums and products,
// batch normalization, the divergence guard and the update rules. The same arithmetic
// as assembly/{dropout,elementwise,batchnorm,optimizers}.ts, in plain loops; dropout
// draws from the same four sfc32 streams, so both backends drop the same units.

import type { Heap } from './kernels.js';
import { Hyper, OptimizerKind } from './ops.js';

/** One sfc32 step of stream `lane` of the four-lane state at word s (a, b, c, d are four words apart). */
function draw(ints: Int32Array, s: number, lane: number): number {
  const ia = s + lane, ib = ia + 4, ic = ia + 8, id = ia + 12;
  const a = ints[ia], b = ints[ib], c = ints[ic], d = ints[id];
  const t = (((a + b) | 0) + d) | 0;
  ints[ia] = b ^ (b >>> 9);
  ints[ib] = (c + (c << 3)) | 0;
  ints[ic] = (((c << 21) | (c >>> 11)) + t) | 0;
  ints[id] = (d + 1) | 0;
  return t >>> 0;
}

export function dropoutForward(h: Heap, x: number, y: number, mask: number, n: number, state: number, threshold: number, scale: number): void {
  const f = h.f32, ints = h.i32, s = state >> 2, th = threshold >>> 0;
  for (let i = 0; i < n; i += 4) {
    // All four streams advance for every four elements, as the lanes of the kernel do.
    for (let lane = 0; lane < 4; lane++) {
      const keep = draw(ints, s, lane) >= th;
      if (i + lane >= n) continue;
      const m = keep ? scale : 0;
      f[(mask >> 2) + i + lane] = m;
      f[(y >> 2) + i + lane] = f[(x >> 2) + i + lane] * m;
    }
  }
}

export function multiply(h: Heap, a: number, b: number, y: number, n: number): void {
  const f = h.f32;
  for (let i = 0; i < n; i++) f[(y >> 2) + i] = f[(a >> 2) + i] * f[(b >> 2) + i];
}

export function add(h: Heap, a: number, b: number, y: number, n: number, accumulate: number): void {
  const f = h.f32, other = accumulate ? y : b;
  for (let i = 0; i < n; i++) f[(y >> 2) + i] = f[(a >> 2) + i] + f[(other >> 2) + i];
}

export function copy(h: Heap, src: number, dst: number, n: number): void {
  h.f32.copyWithin(dst >> 2, src >> 2, (src >> 2) + n);
}

/** Words between the column vectors of a stats or running block: cols rounded up to 4. */
export function statsStride(cols: number): number {
  return (cols + 3) & ~3;
}

export function batchNormForward(
  h: Heap, x: number, y: number, xhat: number, gamma: number, beta: number, stats: number, running: number,
  rows: number, cols: number, eps: number, training: number,
): void {
  const f = h.f32, st = statsStride(cols);
  const xi = x >> 2, yi = y >> 2, hi = xhat >> 2, si = stats >> 2, ri = running >> 2;
  const batch = training !== 0 && rows > 1;
  for (let j = 0; j < cols; j++) {
    let mean: number, scale: number;
    if (batch) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += f[xi + r * cols + j];
      mean = s / rows;
      let q = 0;
      for (let r = 0; r < rows; r++) q += (f[xi + r * cols + j] - mean) ** 2;
      const variance = q / rows;
      scale = 1 / Math.sqrt(variance + eps);
      f[si + j] = mean;
      f[si + st + j] = variance;
    } else {
      mean = f[ri + j];
      scale = 1 / Math.sqrt(f[ri + st + j] + eps);
    }
    if (training !== 0) f[si + 2 * st + j] = scale;
    for (let r = 0; r < rows; r++) {
      const o = r * cols + j;
      const v = (f[xi + o] - mean) * scale;
      if (training !== 0) f[hi + o] = v;
      f[yi + o] = f[(gamma >> 2) + j] * v + f[(beta >> 2) + j];
    }
  }
}

export function batchNormBackward(h: Heap, dy: number, xhat: number, gamma: number, stats: number, dgamma: number, dbeta: number, dx: number, rows: number, cols: number): void {
  const f = h.f32, st = statsStride(cols);
  const di = dy >> 2, hi = xhat >> 2, xi = dx >> 2;
  for (let j = 0; j < cols; j++) {
    let sg = 0, sb = 0;
    for (let r = 0; r < rows; r++) {
      const d = f[di + r * cols + j];
      sb += d;
      sg += d * f[hi + r * cols + j];
    }
    f[(dgamma >> 2) + j] = sg;
    f[(dbeta >> 2) + j] = sb;
    if (dx === 0) continue;
    const k = f[(gamma >> 2) + j] * f[(stats >> 2) + 2 * st + j];
    if (rows === 1) {
      f[xi + j] = k * f[di + j];
      continue;
    }
    const mb = sb / rows, mg = sg / rows;
    for (let r = 0; r < rows; r++) {
      const o = r * cols + j;
      f[xi + o] = k * (f[di + o] - mb - f[hi + o] * mg);
    }
  }
}

export function batchNormUpdate(h: Heap, stats: number, running: number, rows: number, cols: number, momentum: number): void {
  if (rows <= 1) return;
  const f = h.f32, st = statsStride(cols);
  for (let part = 0; part < 2; part++) {
    const s = (stats >> 2) + part * st, r = (running >> 2) + part * st;
    for (let j = 0; j < cols; j++) f[r + j] = momentum * f[r + j] + (1 - momentum) * f[s + j];
  }
}

/** Σg² into the block; false (and the status set) when it or the loss so far is not finite. */
export function guard(h: Heap, g: number, n: number, lossSum: number, hyper: number): boolean {
  const f = h.f32;
  // In float32, squares that overflow are infinite, as the kernel's are.
  const round = f instanceof Float32Array ? Math.fround : (v: number) => v;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += round(f[(g >> 2) + i] ** 2);
  h.f64[(hyper + Hyper.gradSq) >> 3] = sq;
  if (Number.isFinite(h.f64[lossSum >> 3]) && Number.isFinite(sq) && stepFits(h, hyper, sq)) return true;
  h.i32[(hyper + Hyper.status) >> 2] = 1;
  return false;
}

/** Largest step the guard lets through: beyond it a weight could overflow float32 (3.4·10³⁸). */
export const MAX_STEP = 1e38;

/** Whether lr·s·‖g‖, a bound on how far any weight moves (plain SGD), stays below MAX_STEP. */
function stepFits(h: Heap, hyper: number, sq: number): boolean {
  const norm = Math.sqrt(sq);
  return rateOf(h, hyper) * clipScale(h, hyper, norm) * norm <= MAX_STEP;
}

/** The coming step's rate: from the schedule's table where it covers the step, else the base rate. */
function rateOf(h: Heap, hyper: number): number {
  const step = h.f64[(hyper + Hyper.step) >> 3];
  const table = h.i32[(hyper + Hyper.table) >> 2] >>> 0, index = step - h.f64[(hyper + Hyper.tableFirst) >> 3];
  const covered = table !== 0 && index >= 0 && index < h.i32[(hyper + Hyper.tableLength) >> 2];
  return covered ? h.f32[(table >> 2) + index] : h.f32[(hyper + Hyper.lr) >> 2];
}

/** The factor clipNorm scales a gradient of norm `norm` by (1 without clipping). */
function clipScale(h: Heap, hyper: number, norm: number): number {
  const clip = h.f32[(hyper + Hyper.clip) >> 2];
  return clip > 0 ? Math.min(1, clip / (norm + 1e-6)) : 1;
}

/** Advance the step count and set the step's rate. */
export function beginStep(h: Heap, hyper: number): number {
  const step = h.f64[(hyper + Hyper.step) >> 3];
  const lr = rateOf(h, hyper);
  h.f64[(hyper + Hyper.step) >> 3] = step + 1;
  h.f32[(hyper + Hyper.lrNow) >> 2] = lr;
  return h.f32[(hyper + Hyper.lrNow) >> 2];
}

export function optimizerStep(h: Heap, kind: number, w: number, g: number, m: number, v: number, n: number, hyper: number): void {
  const f = h.f32, at = (o: number) => f[(hyper + o) >> 2];
  const lr = beginStep(h, hyper);
  const scale = clipScale(h, hyper, Math.sqrt(h.f64[(hyper + Hyper.gradSq) >> 3]));
  const decay = at(Hyper.decay), beta1 = at(Hyper.beta1), eps = at(Hyper.eps);
  const wi = w >> 2, gi = g >> 2, mi = m >> 2, vi = v >> 2;
  if (kind === OptimizerKind.sgd) {
    const nesterov = h.i32[(hyper + Hyper.nesterov) >> 2] !== 0;
    for (let i = 0; i < n; i++) {
      const gv = scale * f[gi + i] + decay * f[wi + i];
      let step = gv;
      if (beta1 !== 0) {
        f[mi + i] = beta1 * f[mi + i] + gv;
        step = nesterov ? gv + beta1 * f[mi + i] : f[mi + i];
      }
      f[wi + i] -= lr * step;
    }
  } else if (kind === OptimizerKind.rmsprop) {
    const mu = at(Hyper.momentum);
    for (let i = 0; i < n; i++) {
      const gv = scale * f[gi + i] + decay * f[wi + i];
      f[vi + i] = beta1 * f[vi + i] + (1 - beta1) * gv * gv;
      let step = gv / (Math.sqrt(f[vi + i]) + eps);
      if (mu !== 0) step = f[mi + i] = mu * f[mi + i] + step;
      f[wi + i] -= lr * step;
    }
  } else {
    const beta2 = at(Hyper.beta2);
    const p1 = h.f64[(hyper + Hyper.beta1Pow) >> 3] * beta1, p2 = h.f64[(hyper + Hyper.beta2Pow) >> 3] * beta2;
    h.f64[(hyper + Hyper.beta1Pow) >> 3] = p1;
    h.f64[(hyper + Hyper.beta2Pow) >> 3] = p2;
    const stepSize = lr / (1 - p1), root = 1 / Math.sqrt(1 - p2);
    const decoupled = kind === OptimizerKind.adamw, shrink = 1 - lr * decay;
    for (let i = 0; i < n; i++) {
      let gv = scale * f[gi + i];
      if (decoupled) f[wi + i] *= shrink;
      else gv += decay * f[wi + i];
      f[mi + i] = beta1 * f[mi + i] + (1 - beta1) * gv;
      f[vi + i] = beta2 * f[vi + i] + (1 - beta2) * gv * gv;
      f[wi + i] -= (stepSize * f[mi + i]) / (Math.sqrt(f[vi + i]) * root + eps);
    }
  }
}
