// The objective logistic regression minimises, in float64, with its gradient:
//   f(W, b) = (1/n)·Σᵢ CE(softmax(xᵢW + b), yᵢ) + ‖W‖² / (2·C·n)
// — scikit-learn's (its C·Σ CE + ½‖W‖², divided by C·n so the numbers do not grow
// with n): the penalty is on the weights, not the intercepts. Two classes use
// one sigmoid unit (binary CE), more a softmax over k units, as scikit-learn does.
// Parameters θ are packed as W row-major [feature][unit], then b (one per unit).

export interface LogisticProblem {
  /** n×p, row-major. */
  x: Float64Array;
  rows: number;
  features: number;
  labels: Int32Array;
  /** 1 (sigmoid, two classes) or k ≥ 3 (softmax). */
  units: number;
  /** Inverse penalty strength; the penalty is ‖W‖² / (2·C·n). */
  C: number;
}

export function parameterCount(features: number, units: number): number {
  return features * units + units;
}

/** f(θ) of the problem, writing ∇f(θ) into grad. */
export function logisticObjective(problem: LogisticProblem, theta: Float64Array, grad: Float64Array): number {
  const { x, rows: n, features: p, labels, units: u, C } = problem;
  const bias = p * u;
  const z = new Float64Array(u);
  grad.fill(0);
  let loss = 0;
  for (let r = 0; r < n; r++) {
    linear(x, r, p, theta, u, z);
    const y = labels[r];
    if (u === 1) {
      // softplus(z) − y·z, and its derivative σ(z) − y, written so neither overflows.
      const v = z[0];
      loss += softplus(v) - y * v;
      z[0] = sigmoid(v) - y;
    } else {
      let max = -Infinity;
      for (let c = 0; c < u; c++) max = Math.max(max, z[c]);
      let sum = 0;
      for (let c = 0; c < u; c++) sum += Math.exp(z[c] - max);
      loss += max + Math.log(sum) - z[y];
      for (let c = 0; c < u; c++) z[c] = Math.exp(z[c] - max) / sum - (c === y ? 1 : 0);
    }
    // z now holds ∂CEᵢ/∂(xᵢW + b).
    for (let j = 0; j < p; j++) {
      const v = x[r * p + j];
      if (v !== 0) for (let c = 0; c < u; c++) grad[j * u + c] += v * z[c];
    }
    for (let c = 0; c < u; c++) grad[bias + c] += z[c];
  }
  const lambda = 1 / (C * n);
  let squares = 0;
  for (let i = 0; i < bias; i++) {
    squares += theta[i] * theta[i];
    grad[i] = grad[i] / n + lambda * theta[i];
  }
  for (let c = 0; c < u; c++) grad[bias + c] /= n;
  return loss / n + (lambda / 2) * squares;
}

/** P(class | row) for each row, n×k (two classes: [1 − p, p]); the mean cross-entropy against labels when given. */
export function logisticProbabilities(x: Float64Array, rows: number, p: number, theta: Float64Array, units: number, labels?: Int32Array): { proba: Float64Array; loss: number } {
  const k = units === 1 ? 2 : units;
  const proba = new Float64Array(rows * k);
  const z = new Float64Array(units);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    linear(x, r, p, theta, units, z);
    if (units === 1) {
      const q = sigmoid(z[0]);
      proba[r * 2] = 1 - q;
      proba[r * 2 + 1] = q;
      // −log σ(±z) = softplus(∓z): exact where 1 − q would round to 0.
      if (labels) loss += softplus(labels[r] === 1 ? -z[0] : z[0]);
    } else {
      let max = -Infinity;
      for (let c = 0; c < units; c++) max = Math.max(max, z[c]);
      let sum = 0;
      for (let c = 0; c < units; c++) sum += Math.exp(z[c] - max);
      for (let c = 0; c < units; c++) proba[r * k + c] = Math.exp(z[c] - max) / sum;
      if (labels) loss += max + Math.log(sum) - z[labels[r]];
    }
  }
  return { proba, loss: rows > 0 ? loss / rows : 0 };
}

/** z = x_r·W + b. */
function linear(x: Float64Array, r: number, p: number, theta: Float64Array, u: number, z: Float64Array): void {
  const bias = p * u;
  for (let c = 0; c < u; c++) z[c] = theta[bias + c];
  for (let j = 0; j < p; j++) {
    const v = x[r * p + j];
    if (v !== 0) for (let c = 0; c < u; c++) z[c] += v * theta[j * u + c];
  }
}

function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}
