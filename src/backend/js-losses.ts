// The JS twins of the loss kernels: softmax and sigmoid cross-entropy (stable, gradient
// p − t) and MSE, accumulating their unscaled sums into f64 slots, and the correct-count.

import type { ArrayHeap } from './heap.js';
import { Reduction } from './ops.js';

export function softmaxCrossEntropy(heap: ArrayHeap, z: number, t: number, p: number, dz: number, rows: number, cols: number, lossSum: number, reduction: number): void {
  const f = heap.f32;
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
  heap.f64[lossSum >> 3] += loss;
}

export function sigmoidCrossEntropy(heap: ArrayHeap, z: number, t: number, p: number, dz: number, rows: number, cols: number, lossSum: number, reduction: number): void {
  const f = heap.f32;
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
  heap.f64[lossSum >> 3] += loss;
}

export function meanSquaredError(heap: ArrayHeap, y: number, t: number, dy: number, rows: number, cols: number, lossSum: number, reduction: number): void {
  const f = heap.f32;
  const n = rows * cols;
  const scale = reduction === Reduction.mean ? 2 / n : 2;
  const yi = y >> 2, ti = t >> 2, di = dy >> 2;
  // In float32, squares that overflow are infinite, as the kernel's are: the guard sees the same loss.
  const round = heap.precision === 'float32' ? Math.fround : (v: number) => v;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const e = f[yi + i] - f[ti + i];
    loss += round(e * e);
    f[di + i] = e * scale;
  }
  heap.f64[lossSum >> 3] += loss;
}

export function countCorrect(heap: ArrayHeap, p: number, t: number, rows: number, cols: number, correct: number): void {
  const f = heap.f32;
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
  heap.f64[correct >> 3] += hits;
}

