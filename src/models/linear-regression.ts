// Linear regression ŷ = x·W + b, fitted two ways the lecture compares:
// - 'closedForm': least squares solved exactly (Householder QR in float64);
// - 'gradientDescent': a Sequential with one linear Dense(p, q), loss 'mse', SGD.
// On the same well-conditioned (standardized) data both reach the same W and b.

import type { Matrix } from '../data.js';
import { InputError, describe } from '../errors.js';
import type { History } from '../fit.js';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../model.js';
import { TRAINING_KEYS, type Matrix64, type TrainingOptions, checkOptionKeys, checkTraining, notFitted, readMatrix, readTargets, toFloat32 } from './inputs.js';
import { RANK_TOLERANCE, leastSquares } from './least-squares.js';

export type LinearSolver = 'closedForm' | 'gradientDescent';

export interface LinearRegressionOptions extends TrainingOptions {
  /** 'closedForm' (default): exact least squares. 'gradientDescent': SGD on MSE (lr, epochs, batchSize, shuffle, seed, backend apply). */
  solver?: LinearSolver;
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
}

export class LinearRegression {
  readonly solver: LinearSolver;
  private readonly training: Required<TrainingOptions>;
  private fitted: Fitted | null = null;

  constructor(options: LinearRegressionOptions = {}) {
    const o = checkOptionKeys(options, ['solver', ...TRAINING_KEYS]);
    const solver = o.solver ?? 'closedForm';
    if (solver !== 'closedForm' && solver !== 'gradientDescent') {
      throw new InputError(`options.solver: expected 'closedForm' or 'gradientDescent', got ${describe(solver)}`);
    }
    this.solver = solver;
    this.training = checkTraining(o, { lr: 0.05, epochs: 100, batchSize: 32 });
  }

  /** Fit to x (n×p) and y (n values, or n×q for q outputs). Resolves to this model. */
  async fit(x: unknown, y: unknown): Promise<this> {
    const X = readMatrix(x, 'x');
    const Y = readTargets(y, X.rows, 'y');
    this.fitted = this.solver === 'closedForm' ? closedForm(X, Y) : await this.descend(X, Y);
    return this;
  }

  private async descend(X: Matrix64, Y: Matrix64): Promise<Fitted> {
    const { lr, epochs, batchSize, shuffle, seed, backend } = this.training;
    // Zero start: the problem is convex, so the seed only decides the shuffle.
    const model = await Sequential.create([new Dense(X.cols, Y.cols, { init: 'zeros' })], { loss: 'mse', optimizer: { type: 'sgd', lr }, seed, backend });
    try {
      const history = await model.fit(toFloat32(X), toFloat32(Y), { epochs, batchSize, shuffle });
      const [kernel, bias] = model.getWeights();
      return { coefficients: Float64Array.from(kernel), intercept: Float64Array.from(bias), features: X.cols, outputs: Y.cols, history };
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

function closedForm(X: Matrix64, Y: Matrix64): Fitted {
  const { rows: n, cols: p } = X;
  const m = p + 1;
  if (n < m) {
    throw new InputError(`x: expected at least ${m} rows to fit ${p} coefficient${p > 1 ? 's' : ''} and an intercept, got ${n} (the design is singular)`);
  }
  // The intercept column comes first, so a constant feature is the column reported.
  const design = new Float64Array(n * m);
  for (let r = 0; r < n; r++) {
    design[r * m] = 1;
    design.set(X.data.subarray(r * p, (r + 1) * p), r * m + 1);
  }
  const solved = leastSquares(design, n, m, Y.data, Y.cols);
  if ('deficient' in solved) {
    const j = solved.deficient.column - 1;
    throw new InputError(`x: expected a design of full column rank (no constant, duplicate or linearly dependent columns), got a singular design: column ${j} ${whyDependent(X, j)}`);
  }
  const q = Y.cols;
  return { coefficients: solved.beta.slice(q), intercept: solved.beta.slice(0, q), features: p, outputs: q, history: null };
}

/** Name the simple causes of a dependent column before the general one. */
function whyDependent(X: Matrix64, j: number): string {
  const { rows: n, cols: p, data } = X;
  const at = (r: number, c: number) => data[r * p + c];
  let constant = true;
  for (let r = 1; r < n && constant; r++) constant = at(r, j) === at(0, j);
  if (constant) return at(0, j) === 0 ? 'is all zeros' : `is constant (every value is ${at(0, j)}), which the intercept already fits`;
  for (let i = 0; i < j; i++) {
    let same = true;
    for (let r = 0; r < n && same; r++) same = at(r, i) === at(r, j);
    if (same) return `duplicates column ${i}`;
  }
  const before = j === 0 ? ' alone (it is nearly constant)' : j === 1 ? ' and column 0' : ` and columns 0–${j - 1}`;
  return `is a linear combination of the intercept${before} (less than ${RANK_TOLERANCE} of its norm is left unexplained)`;
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
