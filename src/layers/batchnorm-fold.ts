// Batch normalization folded into the dense layer before it, for inference: with the
// running statistics fixed, BN(x·W + b) = x·W' + b' where, per column j,
//   s_j = γ_j / √(σ²_j + ε),  W'[i][j] = W[i][j]·s_j,  b'_j = (b_j − μ_j)·s_j + β_j,
// one product instead of a product and a pass over its output. The trainer's predict
// (layers/fold.ts) and the inference entry both fold with this one function, so they
// compute the same bits.

import type { FloatArray } from '../backend/kernels.js';

/**
 * W' and b' into `f` from the values there. `at` holds the float indices of W [rows×cols],
 * b, γ, β, μ, σ², W' and b'. Float32 arithmetic on a float32 heap, float64 on a float64 one.
 */
export function foldBatchNorm(f: FloatArray, at: readonly number[], epsilon: number, rows: number, cols: number): void {
  const [w, b, gamma, beta, mean, variance, wOut, bOut] = at;
  const round = f instanceof Float32Array ? Math.fround : (v: number) => v;
  const eps = round(epsilon);
  const scale = new Float64Array(cols);
  for (let j = 0; j < cols; j++) scale[j] = round(f[gamma + j] * round(1 / round(Math.sqrt(round(f[variance + j] + eps)))));
  // A product of two float32 values is exact in a double: storing it rounds once.
  for (let i = 0; i < rows * cols; i += cols) {
    for (let j = 0; j < cols; j++) f[wOut + i + j] = f[w + i + j] * scale[j];
  }
  for (let j = 0; j < cols; j++) f[bOut + j] = round(round(f[b + j] - f[mean + j]) * scale[j]) + f[beta + j];
}
