// Logistic regression: one layer, no hidden units, on cross-entropy.
// Two classes: a single sigmoid unit, P(y=1|x) = σ(x·w + b). More: softmax over
// k units, P(y=c|x) = softmax(x·W + b)_c. Which one is chosen from the labels (or
// options.classes). Solvers: 'newtonCG' (default) and 'lbfgs' minimise
// scikit-learn's penalised objective in float64 until the gradient is below tol;
// 'gradientDescent' trains a Sequential by SGD for a fixed number of epochs.

import type { BackendInfo } from '../backend/select.js';
import type { Matrix } from '../data.js';
import { InputError } from '../errors.js';
import type { History } from '../callbacks.js';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../model.js';
import { type Matrix64, type TrainingOptions, notFitted, readLabels, readMatrix, toFloat32 } from './inputs.js';
import { logisticProbabilities } from './logistic-objective.js';
import { type LogisticRegressionOptions, type LogisticSettings, type LogisticSolver, readLogisticOptions } from './logistic-options.js';
import { type Convergence, type SolverOptions, fitLogistic } from './logistic-solvers.js';

export type { LogisticRegressionOptions, LogisticSolver } from './logistic-options.js';
export type { Convergence } from './logistic-solvers.js';

interface Fitted {
  classes: number;
  features: number;
  /** gradientDescent: the trained network. */
  model: Sequential | null;
  /** newtonCG, lbfgs: W [feature][unit], then b. */
  theta: Float64Array | null;
  history: History | null;
  convergence: Convergence | null;
}

export class LogisticRegression {
  readonly solver: LogisticSolver;
  private readonly settings: LogisticSettings;
  private fitted: Fitted | null = null;

  constructor(options: LogisticRegressionOptions = {}) {
    this.settings = readLogisticOptions(options);
    this.solver = this.settings.solver;
  }

  /** Fit to x (n×p) and class indices y (n integers ≥ 0). Resolves to this model. */
  async fit(x: unknown, y: unknown): Promise<this> {
    const X = readMatrix(x, 'x');
    const labels = readLabels(y, X.rows, 'y', this.settings.classes);
    const k = this.settings.classes ?? labels.reduce((a, b) => Math.max(a, b), 0) + 1;
    if (k < 2) throw new InputError(`y: expected labels of at least two classes, got only class 0 in ${X.rows} rows`);
    const fitted = this.settings.solver === 'gradientDescent' ? await descend(X, labels, k, this.settings.training) : solve(X, labels, k, this.settings.second);
    this.fitted?.model?.dispose();
    this.fitted = fitted;
    return this;
  }

  private get state(): Fitted {
    if (!this.fitted) throw notFitted('LogisticRegression');
    return this.fitted;
  }

  /** Number of classes k. */
  get classes(): number {
    return this.state.classes;
  }

  /** Weights row-major [feature][unit]: one unit (P(class 1)) for two classes, k units for softmax. */
  get coefficients(): Float64Array {
    const { model, theta, features, classes } = this.state;
    return model ? Float64Array.from(model.getWeights()[0]) : theta!.slice(0, features * units(classes));
  }

  /** Bias of each unit. */
  get intercept(): Float64Array {
    const { model, theta, features, classes } = this.state;
    return model ? Float64Array.from(model.getWeights()[1]) : theta!.slice(features * units(classes));
  }

  /** gradientDescent: per-epoch loss and accuracy of training. Null for newtonCG and lbfgs. */
  get history(): History | null {
    return this.state.history;
  }

  /** newtonCG, lbfgs: whether the gradient test passed, after how many steps, and the objective reached. Null for gradientDescent. */
  get convergence(): Convergence | null {
    const c = this.state.convergence;
    return c && { ...c };
  }

  backendInfo(): BackendInfo {
    const { model } = this.state;
    if (model) return model.backendInfo();
    return { backend: 'js', requested: 'auto', reason: `solver '${this.solver}' runs in float64 JavaScript, not on the kernels`, simd: null, threads: 1 };
  }

  /** P(class c | row) as an n×k matrix; each row sums to 1 (two classes: [1 − p, p]). */
  predictProba(x: unknown): Matrix {
    const { model, classes, features } = this.state;
    const X = readMatrix(x, 'x', features);
    if (!model) return { data: Float32Array.from(this.probabilities(X).proba), shape: [X.rows, classes] };
    const out = model.predict(toFloat32(X));
    if (classes > 2) return out;
    const rows = out.shape[0];
    const data = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      data[2 * r] = 1 - out.data[r];
      data[2 * r + 1] = out.data[r];
    }
    return { data, shape: [rows, 2] };
  }

  /** The most likely class of each row (two classes: 1 when p ≥ 0.5). */
  predict(x: unknown): Int32Array {
    const { model, features } = this.state;
    const X = readMatrix(x, 'x', features);
    return model ? model.predictClasses(toFloat32(X)) : mostLikely(this.probabilities(X).proba, X.rows, this.state.classes);
  }

  /** Mean cross-entropy and accuracy on (x, y). */
  evaluate(x: unknown, y: unknown): { loss: number; accuracy: number } {
    const { model, classes, features } = this.state;
    const X = readMatrix(x, 'x', features);
    const labels = readLabels(y, X.rows, 'y', classes);
    let loss: number, predicted: Int32Array;
    if (model) {
      loss = model.evaluate(toFloat32(X), labels).loss;
      predicted = model.predictClasses(toFloat32(X));
    } else {
      const out = this.probabilities(X, labels);
      loss = out.loss;
      predicted = mostLikely(out.proba, X.rows, classes);
    }
    let correct = 0;
    for (let r = 0; r < X.rows; r++) if (predicted[r] === labels[r]) correct++;
    return { loss, accuracy: correct / X.rows };
  }

  /** Accuracy on (x, y). */
  score(x: unknown, y: unknown): number {
    return this.evaluate(x, y).accuracy;
  }

  /** Free the underlying model; the LogisticRegression must be fitted again before use. */
  dispose(): void {
    this.fitted?.model?.dispose();
    this.fitted = null;
  }

  private probabilities(X: Matrix64, labels?: Int32Array): { proba: Float64Array; loss: number } {
    const { theta, features, classes } = this.state;
    return logisticProbabilities(X.data, X.rows, features, theta!, units(classes), labels);
  }
}

function units(classes: number): number {
  return classes === 2 ? 1 : classes;
}

function solve(X: Matrix64, labels: Int32Array, k: number, options: SolverOptions): Fitted {
  const { theta, convergence } = fitLogistic(X, labels, units(k), options);
  return { classes: k, features: X.cols, model: null, theta, history: null, convergence };
}

async function descend(X: Matrix64, labels: Int32Array, k: number, training: Required<TrainingOptions>): Promise<Fitted> {
  const { lr, epochs, batchSize, shuffle, seed, backend } = training;
  // The problem is convex: start at zero so the seed only decides the shuffle.
  const layer = k === 2 ? new Dense(X.cols, 1, { activation: 'sigmoid', init: 'zeros' }) : new Dense(X.cols, k, { activation: 'softmax', init: 'zeros' });
  const model = await Sequential.create([layer], { loss: k === 2 ? 'binaryCrossEntropy' : 'crossEntropy', optimizer: { type: 'sgd', lr }, seed, backend });
  try {
    const history = await model.fit(toFloat32(X), labels, { epochs, batchSize, shuffle });
    return { classes: k, features: X.cols, model, theta: null, history, convergence: null };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Index of the largest probability per row (the first on a tie; two classes: 1 when p ≥ 0.5). */
function mostLikely(proba: Float64Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    if (k === 2) best = proba[2 * r + 1] >= 0.5 ? 1 : 0;
    else for (let c = 1; c < k; c++) if (proba[r * k + c] > proba[r * k + best]) best = c;
    out[r] = best;
  }
  return out;
}
