// Activations and their derivatives for the pure-JS backend, over rows of a
// float array. Derivatives are taken from the output y, as in the WASM kernels.

import { Act } from './ops.js';
import type { FloatArray } from './kernels.js';

/** y[o..o+n) = act(x[i..i+n)) for one row (softmax needs the whole row). */
export function activateRow(f: FloatArray, xi: number, yi: number, n: number, act: number, alpha: number): void {
  switch (act) {
    case Act.linear:
      if (xi !== yi) for (let j = 0; j < n; j++) f[yi + j] = f[xi + j];
      return;
    case Act.sigmoid:
      for (let j = 0; j < n; j++) f[yi + j] = 1 / (1 + Math.exp(-f[xi + j]));
      return;
    case Act.tanh:
      for (let j = 0; j < n; j++) f[yi + j] = Math.tanh(f[xi + j]);
      return;
    case Act.relu:
      for (let j = 0; j < n; j++) {
        const v = f[xi + j];
        f[yi + j] = v > 0 ? v : 0;
      }
      return;
    case Act.leakyRelu:
      for (let j = 0; j < n; j++) {
        const v = f[xi + j];
        f[yi + j] = v > 0 ? v : alpha * v;
      }
      return;
    case Act.elu:
      for (let j = 0; j < n; j++) {
        const v = f[xi + j];
        f[yi + j] = v > 0 ? v : alpha * Math.expm1(v);
      }
      return;
    case Act.softmax: {
      let max = -Infinity;
      for (let j = 0; j < n; j++) if (f[xi + j] > max) max = f[xi + j];
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const e = Math.exp(f[xi + j] - max);
        f[yi + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < n; j++) f[yi + j] *= inv;
      return;
    }
    default:
      throw new Error(`activation code: expected 0..6, got ${act}`);
  }
}

/** dx = dy ⊙ act'(y) for one row (dx may equal dy). */
export function derivativeRow(
  f: FloatArray,
  yi: number,
  dyi: number,
  dxi: number,
  n: number,
  act: number,
  alpha: number,
): void {
  switch (act) {
    case Act.linear:
      if (dxi !== dyi) for (let j = 0; j < n; j++) f[dxi + j] = f[dyi + j];
      return;
    case Act.sigmoid:
      for (let j = 0; j < n; j++) {
        const y = f[yi + j];
        f[dxi + j] = f[dyi + j] * y * (1 - y);
      }
      return;
    case Act.tanh:
      for (let j = 0; j < n; j++) {
        const y = f[yi + j];
        f[dxi + j] = f[dyi + j] * (1 - y * y);
      }
      return;
    case Act.relu:
      for (let j = 0; j < n; j++) f[dxi + j] = f[yi + j] > 0 ? f[dyi + j] : 0;
      return;
    case Act.leakyRelu:
      for (let j = 0; j < n; j++) f[dxi + j] = f[yi + j] > 0 ? f[dyi + j] : alpha * f[dyi + j];
      return;
    case Act.elu:
      for (let j = 0; j < n; j++) {
        const y = f[yi + j];
        f[dxi + j] = y > 0 ? f[dyi + j] : f[dyi + j] * (y + alpha);
      }
      return;
    case Act.softmax: {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += f[yi + j] * f[dyi + j];
      for (let j = 0; j < n; j++) f[dxi + j] = f[yi + j] * (f[dyi + j] - dot);
      return;
    }
    default:
      throw new Error(`activation code: expected 0..6, got ${act}`);
  }
}
