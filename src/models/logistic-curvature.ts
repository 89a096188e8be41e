// The Hessian of the logistic objective at one point θ, as products H·v and its
// diagonal (the preconditioner of conjugate gradients), never as a matrix: the
// multinomial Hessian of the digits would be 650×650 and cost more to build than
// the hundred or so products a Newton solve needs.
//
//   H = (1/n)·Σᵢ (x̃ᵢx̃ᵢᵀ) ⊗ (diag pᵢ − pᵢpᵢᵀ) + (1/(C·n))·I on W (0 on b),  x̃ᵢ = (xᵢ, 1)
// with pᵢ the softmax probabilities; for one sigmoid unit the middle factor is σ(1 − σ).

import type { LogisticProblem } from './logistic-objective.js';

export interface Curvature {
  /** out = H·v. */
  times(v: Float64Array, out: Float64Array): void;
  /**
   * out = diag H (bias entries floored at a tiny positive value, so they can divide). With
   * `centre` (the feature means μ), the diagonal in the coordinates (W, b + μ·W) instead:
   * the same sums with xᵢ − μ in place of xᵢ.
   */
  diagonal(out: Float64Array, centre?: Float64Array): void;
}

export function logisticCurvature(problem: LogisticProblem, theta: Float64Array): Curvature {
  const { x, rows: n, features: p, units: u, C } = problem;
  const bias = p * u;
  const lambda = 1 / (C * n);
  // Per row: the softmax probabilities (u ≥ 3) or σ(z)(1 − σ(z)) (u = 1).
  const q = new Float64Array(n * u);
  const z = new Float64Array(u);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < u; c++) z[c] = theta[bias + c];
    for (let j = 0; j < p; j++) {
      const v = x[r * p + j];
      if (v !== 0) for (let c = 0; c < u; c++) z[c] += v * theta[j * u + c];
    }
    if (u === 1) {
      const s = 1 / (1 + Math.exp(-z[0]));
      q[r] = s * (1 - s);
    } else {
      let max = -Infinity;
      for (let c = 0; c < u; c++) max = Math.max(max, z[c]);
      let sum = 0;
      for (let c = 0; c < u; c++) sum += (z[c] = Math.exp(z[c] - max));
      for (let c = 0; c < u; c++) q[r * u + c] = z[c] / sum;
    }
  }

  const a = new Float64Array(u);
  return {
    times(v, out) {
      out.fill(0);
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < u; c++) a[c] = v[bias + c];
        for (let j = 0; j < p; j++) {
          const xv = x[r * p + j];
          if (xv !== 0) for (let c = 0; c < u; c++) a[c] += xv * v[j * u + c];
        }
        if (u === 1) {
          a[0] *= q[r];
        } else {
          let mean = 0;
          for (let c = 0; c < u; c++) mean += q[r * u + c] * a[c];
          for (let c = 0; c < u; c++) a[c] = q[r * u + c] * (a[c] - mean);
        }
        for (let j = 0; j < p; j++) {
          const xv = x[r * p + j];
          if (xv !== 0) for (let c = 0; c < u; c++) out[j * u + c] += xv * a[c];
        }
        for (let c = 0; c < u; c++) out[bias + c] += a[c];
      }
      for (let i = 0; i < bias; i++) out[i] = out[i] / n + lambda * v[i];
      for (let c = 0; c < u; c++) out[bias + c] /= n;
    },
    diagonal(out, centre) {
      out.fill(0);
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < u; c++) {
          const w = u === 1 ? q[r] : q[r * u + c] * (1 - q[r * u + c]);
          out[bias + c] += w;
          for (let j = 0; j < p; j++) {
            const xv = centre ? x[r * p + j] - centre[j] : x[r * p + j];
            if (xv !== 0) out[j * u + c] += xv * xv * w;
          }
        }
      }
      for (let i = 0; i < bias; i++) out[i] = out[i] / n + lambda;
      // A saturated bias has curvature ~0; the floor keeps the preconditioner finite.
      for (let c = 0; c < u; c++) out[bias + c] = Math.max(out[bias + c] / n, 1e-12);
    },
  };
}
