// Linear regression ŷ = x·W + b, fitted two ways the lecture compares:
// - 'closedForm': least squares solved exactly in float64 (pivoted QR; the
//   minimum-norm solution when columns are dependent, with a note naming them);
// - 'gradientDescent': a Sequential with one linear Dense(p, q), loss 'mse', SGD.
// On the same well-conditioned (standardized) data both reach the same W and b.

import type { Matrix } from '../data.js';
import { InputError, describe } from '../errors.js';
import type { History } from '../callbacks.js';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../model.js';
import { dependenceNote } from './dependence.js';
import { TRAINING_KEYS, type Matrix64, type TrainingOptions, checkOptionKeys, checkTraining, notFitted, readMatrix, readTargets, toFloat32 } from './inputs.js';
import { defaultRcond, leastSquares } from './least-squares.js';

export type LinearSolver = 'closedForm' | 'gradientDescent';

export interface LinearRegressionOptions extends TrainingOptions {
  /** 'closedForm' (default): exact least squares. 'gradientDescent': SGD on MSE (lr, epochs, batchSize, shuffle, seed, backend apply). */
  solver?: LinearSolver;
  /**
   * 'closedForm' only: a column is dependent when the norm it adds is ≤ rcond × the largest
   * (pivoted QR's |R₀₀|). Default eps·max(n, p), numpy's lstsq default; 1e-7 also treats
   * collinearity hidden by float32 rounding as dependence.
   */
  rcond?: number;
}

export interface RegressionScores {
  /** Mean over all rows and outputs of (ŷ − y)². */
  mse: number;
  /** Mean over all rows and outputs of |ŷ − y|. */
  mae: number;
  /** 1 − SS_res/SS_tot, averaged over outputs. */
  r2: number;
}

interface Fitted {
  coefficients: Float64Array;
  intercept: Float64Array;
  features: number;
  outputs: number;
  history: History | null;
  rank: number | null;
  dependentColumns: number[] | null;
  note: string | null;
}

export class LinearRegression {
  readonly solver: LinearSolver;
  private readonly rcond: number | undefined;
  private readonly training: Required<TrainingOptions>;
  private fitted: Fitted | null = null;

  constructor(options: LinearRegressionOptions = {}) {
    const o = checkOptionKeys(options, ['solver', ...TRAINING_KEYS, 'rcond']);
    const solver = o.solver ?? 'closedForm';
    if (solver !== 'closedForm' && solver !== 'gradientDescent') {
      throw new InputError(`options.solver: expected 'closedForm' or 'gradientDescent', got ${describe(solver)}`);
    }
    if (o.rcond !== undefined) {
      if (solver !== 'closedForm') throw new InputError(`options.rcond: expected no rcond with solver 'gradientDescent' (it is an option of 'closedForm'), got ${describe(o.rcond)}`);
      if (typeof o.rcond !== 'number' || !(o.rcond >= 0 && o.rcond < 1)) throw new InputError(`options.rcond: expected a number in [0, 1), got ${describe(o.rcond)}`);
    }
    this.solver = solver;
    this.rcond = o.rcond as number | undefined;
    this.training = checkTraining(o, { lr: 0.05, epochs: 100, batchSize: 32 });
  }

  /** Fit to x (n×p) and y (n values, or n×q for q outputs). Resolves to this model. */
  async fit(x: unknown, y: unknown): Promise<this> {
    const X = readMatrix(x, 'x');
    const Y = readTargets(y, X.rows, 'y');
    this.fitted = this.solver === 'closedForm' ? closedForm(X, Y, this.rcond) : await this.descend(X, Y);
    return this;
  }

  private async descend(X: Matrix64, Y: Matrix64): Promise<Fitted> {
    const { lr, epochs, batchSize, shuffle, seed, backend } = this.training;
    // Zero start: the problem is convex, so the seed only decides the shuffle.
    const model = await Sequential.create([new Dense(X.cols, Y.cols, { init: 'zeros' })], { loss: 'mse', optimizer: { type: 'sgd', lr }, seed, backend });
    try {
      const history = await model.fit(toFloat32(X), toFloat32(Y), { epochs, batchSize, shuffle });
      const [kernel, bias] = model.getWeights();
      return { coefficients: Float64Array.from(kernel), intercept: Float64Array.from(bias), features: X.cols, outputs: Y.cols, history, rank: null, dependentColumns: null, note: null };
    } finally {
      model.dispose();
    }
  }

  private get state(): Fitted {
    if (!this.fitted) throw notFitted('LinearRegression');
    return this.fitted;
  }

  /** W, row-major [feature][output]: with one output, coefficients[j] is feature j's. */
  get coefficients(): Float64Array {
    return this.state.coefficients;
  }

  /** b, one per output. */
  get intercept(): Float64Array {
    return this.state.intercept;
  }

  /** Per-epoch loss of gradient descent; null for the closed form. */
  get history(): History | null {
    return this.state.history;
  }

  /** Closed form: the numerical rank of the centred x (p when no column is dependent). Null for gradient descent. */
  get rank(): number | null {
    return this.state.rank;
  }

  /** Closed form: the columns of x left out of the pivoted basis, ascending ([] at full rank). Null for gradient descent. */
  get dependentColumns(): number[] | null {
    return this.state.dependentColumns?.slice() ?? null;
  }

  /** Closed form with dependent columns: a sentence naming them and why. Null otherwise. */
  get note(): string | null {
    return this.state.note;
  }

  /** ŷ = x·W + b for each row, n×q. */
  predict(x: unknown): Matrix {
    const out = this.predict64(readMatrix(x, 'x', this.state.features));
    return { data: Float32Array.from(out.data), shape: [out.rows, out.cols] };
  }

  /** MSE, MAE and R² of the predictions for x against y, computed in float64. */
  evaluate(x: unknown, y: unknown): RegressionScores {
    const X = readMatrix(x, 'x', this.state.features);
    const Y = readTargets(y, X.rows, 'y', this.state.outputs);
    return scores(this.predict64(X), Y);
  }

  /** R² of the predictions for x against y. */
  score(x: unknown, y: unknown): number {
    return this.evaluate(x, y).r2;
  }

  private predict64(X: Matrix64): Matrix64 {
    const { coefficients: w, intercept: b, outputs: q } = this.state;
    const p = X.cols;
    const data = new Float64Array(X.rows * q);
    for (let r = 0; r < X.rows; r++) {
      for (let c = 0; c < q; c++) {
        let s = b[c];
        for (let j = 0; j < p; j++) s += X.data[r * p + j] * w[j * q + c];
        data[r * q + c] = s;
      }
    }
    return { data, rows: X.rows, cols: q };
  }
}

/**
 * Like scikit-learn: centre x and y, solve for W by minimum-norm least squares,
 * then b = ȳ − x̄·W. The intercept is thus not part of the minimised norm (a
 * one-hot block beside it gets weights that sum to zero, not a shared offset), and
 * centring also removes the offsets that would inflate the condition number.
 */
function closedForm(X: Matrix64, Y: Matrix64, rcond: number | undefined): Fitted {
  const { rows: n, cols: p } = X;
  const q = Y.cols;
  const xMean = columnMeans(X), yMean = columnMeans(Y);
  const xc = new Float64Array(n * p), yc = new Float64Array(n * q);
  for (let i = 0; i < n * p; i++) xc[i] = X.data[i] - xMean[i % p];
  for (let i = 0; i < n * q; i++) yc[i] = Y.data[i] - yMean[i % q];
  const solved = leastSquares(xc, n, p, yc, q, rcond ?? defaultRcond(n, p));
  const intercept = Float64Array.from(yMean);
  for (let j = 0; j < p; j++) for (let c = 0; c < q; c++) intercept[c] -= xMean[j] * solved.beta[j * q + c];
  const order = Array.from(solved.pivots.subarray(solved.rank));
  const explained = order.map((j, i) => ({ j, parts: solved.explainedBy[i] })).sort((a, b) => a.j - b.j);
  const dependentColumns = explained.map((e) => e.j);
  const note = dependentColumns.length === 0 ? null : dependenceNote(X, solved.rank, dependentColumns, explained.map((e) => e.parts));
  return { coefficients: solved.beta, intercept, features: p, outputs: q, history: null, rank: solved.rank, dependentColumns, note };
}

/** Means shifted by row 0, so a constant column's mean is its value exactly and it centres to exact zeros. */
function columnMeans(m: Matrix64): Float64Array {
  const { rows, cols, data } = m;
  const mean = new Float64Array(cols);
  if (rows === 0) return mean;
  for (let i = cols; i < rows * cols; i++) mean[i % cols] += data[i] - data[i % cols];
  for (let c = 0; c < cols; c++) mean[c] = data[c] + mean[c] / rows;
  return mean;
}

/** The same definitions as Sequential.evaluate: means over all elements, R² averaged over outputs. */
export function scores(pred: Matrix64, target: Matrix64): RegressionScores {
  const { rows, cols } = target;
  const mean = new Float64Array(cols), ssTot = new Float64Array(cols), ssRes = new Float64Array(cols);
  let absolute = 0;
  for (let i = 0; i < rows * cols; i++) mean[i % cols] += target.data[i] / rows;
  for (let i = 0; i < rows * cols; i++) {
    const e = pred.data[i] - target.data[i];
    ssRes[i % cols] += e * e;
    ssTot[i % cols] += (target.data[i] - mean[i % cols]) ** 2;
    absolute += Math.abs(e);
  }
  let r2 = 0;
  for (let c = 0; c < cols; c++) r2 += ssTot[c] > 0 ? 1 - ssRes[c] / ssTot[c] : ssRes[c] === 0 ? 1 : 0;
  return { mse: ssRes.reduce((a, b) => a + b, 0) / (rows * cols), mae: absolute / (rows * cols), r2: r2 / cols };
}
