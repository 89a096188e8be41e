// Rosenblatt's perceptron (1957): o = step(w·x + b) with outputs 0 and 1
// (o = 1 when w·x + b > 0, else 0, so the lecture's truth tables are the targets
// as they stand), trained online by the perceptron rule
//   w ← w + α(t − o)x,  b ← b + α(t − o)
// epoch by epoch until an epoch makes no mistake or maxEpochs is reached.
// The step has no gradient, so this is plain TypeScript, not a Sequential. By the
// convergence theorem it stops on linearly separable data (NOT, AND, OR) and never
// on data that is not (XOR): fit reports which, as a result rather than an exception.

import { InputError, describe } from '../errors.js';
import { type Matrix64, checkOptionKeys, notFitted, positiveInteger, positiveNumber, readMatrix } from './inputs.js';

export interface PerceptronOptions {
  /** Learning rate α; default 1. */
  lr?: number;
  /** Most passes over the rows before giving up; default 100. */
  maxEpochs?: number;
}

export interface PerceptronResult {
  /** Whether the last epoch made no mistake (every row is classified right). */
  converged: boolean;
  /** Epochs run, the mistake-free one included. */
  epochs: number;
  /** Mistakes (rows with o ≠ t, hence updates) in each epoch. */
  errors: number[];
  /** The weights and bias after training. */
  weights: Float64Array;
  bias: number;
}

export class Perceptron {
  readonly lr: number;
  readonly maxEpochs: number;
  private w: Float64Array | null = null;
  private b = 0;

  constructor(options: PerceptronOptions = {}) {
    const o = checkOptionKeys(options, ['lr', 'maxEpochs']);
    this.lr = positiveNumber(o.lr ?? 1, 'options.lr');
    this.maxEpochs = positiveInteger(o.maxEpochs ?? 100, 'options.maxEpochs');
  }

  /** Train from zero weights on x (n×p) and targets y (n values, each 0 or 1), rows in the given order. */
  fit(x: unknown, y: unknown): PerceptronResult {
    const X = readMatrix(x, 'x');
    const t = readBinary(y, X.rows, 'y');
    const { rows: n, cols: p } = X;
    const w = new Float64Array(p);
    let b = 0;
    const errors: number[] = [];
    let converged = false;
    while (!converged && errors.length < this.maxEpochs) {
      let mistakes = 0;
      for (let r = 0; r < n; r++) {
        const delta = t[r] - step(X, r, w, b);
        if (delta === 0) continue;
        mistakes++;
        for (let j = 0; j < p; j++) w[j] += this.lr * delta * X.data[r * p + j];
        b += this.lr * delta;
      }
      errors.push(mistakes);
      converged = mistakes === 0;
    }
    this.w = w;
    this.b = b;
    return { converged, epochs: errors.length, errors, weights: Float64Array.from(w), bias: b };
  }

  /** The weights w (one per input). */
  get weights(): Float64Array {
    if (!this.w) throw notFitted('Perceptron');
    return Float64Array.from(this.w);
  }

  get bias(): number {
    if (!this.w) throw notFitted('Perceptron');
    return this.b;
  }

  /** step(w·x + b) for each row: 1 or 0. */
  predict(x: unknown): Int32Array {
    if (!this.w) throw notFitted('Perceptron');
    const X = readMatrix(x, 'x', this.w.length);
    const out = new Int32Array(X.rows);
    for (let r = 0; r < X.rows; r++) out[r] = step(X, r, this.w, this.b);
    return out;
  }
}

function step(X: Matrix64, r: number, w: Float64Array, b: number): number {
  let z = b;
  for (let j = 0; j < X.cols; j++) z += w[j] * X.data[r * X.cols + j];
  return z > 0 ? 1 : 0;
}

function readBinary(value: unknown, rows: number, name: string): Uint8Array {
  const isList = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!isList) throw new InputError(`${name}: expected a flat list of targets 0 or 1 (one per row), got ${describe(value)}`);
  const list = value as ArrayLike<unknown>;
  if (list.length !== rows) throw new InputError(`${name}: expected ${rows} targets (one per row of x), got ${list.length}`);
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const v = list[r];
    if (v !== 0 && v !== 1) throw new InputError(`${name}: expected targets 0 or 1, got ${describe(v)} at row ${r}`);
    out[r] = v;
  }
  return out;
}
