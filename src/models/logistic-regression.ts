// Logistic regression: one layer, no hidden units, trained by SGD on cross-entropy.
// Two classes: a single sigmoid unit, P(y=1|x) = σ(x·w + b), loss 'binaryCrossEntropy'.
// More: softmax over k units, P(y=c|x) = softmax(x·W + b)_c, loss 'crossEntropy'.
// Which one is chosen from the labels (or options.classes).

import type { BackendInfo } from '../backend/select.js';
import type { Matrix } from '../data.js';
import { InputError } from '../errors.js';
import type { History } from '../fit.js';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../model.js';
import { TRAINING_KEYS, type TrainingOptions, checkOptionKeys, checkTraining, notFitted, positiveInteger, readLabels, readMatrix, toFloat32 } from './inputs.js';

export interface LogisticRegressionOptions extends TrainingOptions {
  /** Number of classes; default: the largest label + 1. 2 gives the sigmoid unit, more the softmax. */
  classes?: number;
}

interface Fitted {
  model: Sequential;
  classes: number;
  history: History;
}

export class LogisticRegression {
  private readonly training: Required<TrainingOptions>;
  private readonly classOption: number | undefined;
  private fitted: Fitted | null = null;

  constructor(options: LogisticRegressionOptions = {}) {
    const o = checkOptionKeys(options, ['classes', ...TRAINING_KEYS]);
    this.training = checkTraining(o, { lr: 0.1, epochs: 100, batchSize: 32 });
    this.classOption = o.classes === undefined ? undefined : positiveInteger(o.classes, 'options.classes', 2);
  }

  /** Fit to x (n×p) and class indices y (n integers ≥ 0). Resolves to this model. */
  async fit(x: unknown, y: unknown): Promise<this> {
    const X = readMatrix(x, 'x');
    const labels = readLabels(y, X.rows, 'y', this.classOption);
    const k = this.classOption ?? labels.reduce((a, b) => Math.max(a, b), 0) + 1;
    if (k < 2) throw new InputError(`y: expected labels of at least two classes, got only class 0 in ${X.rows} rows`);
    const { lr, epochs, batchSize, shuffle, seed, backend } = this.training;
    // The problem is convex: start at zero so the seed only decides the shuffle.
    const layer = k === 2 ? new Dense(X.cols, 1, { activation: 'sigmoid', init: 'zeros' }) : new Dense(X.cols, k, { activation: 'softmax', init: 'zeros' });
    const model = await Sequential.create([layer], { loss: k === 2 ? 'binaryCrossEntropy' : 'crossEntropy', optimizer: { type: 'sgd', lr }, seed, backend });
    let history: History;
    try {
      history = await model.fit(toFloat32(X), labels, { epochs, batchSize, shuffle });
    } catch (error) {
      model.dispose();
      throw error;
    }
    this.fitted?.model.dispose();
    this.fitted = { model, classes: k, history };
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
    return Float64Array.from(this.state.model.getWeights()[0]);
  }

  /** Bias of each unit. */
  get intercept(): Float64Array {
    return Float64Array.from(this.state.model.getWeights()[1]);
  }

  /** Per-epoch loss and accuracy of training. */
  get history(): History {
    return this.state.history;
  }

  backendInfo(): BackendInfo {
    return this.state.model.backendInfo();
  }

  /** P(class c | row) as an n×k matrix; each row sums to 1 (two classes: [1 − p, p]). */
  predictProba(x: unknown): Matrix {
    const { model, classes } = this.state;
    const out = model.predict(toFloat32(readMatrix(x, 'x', model.inputSize)));
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
    const { model } = this.state;
    return model.predictClasses(toFloat32(readMatrix(x, 'x', model.inputSize)));
  }

  /** Mean cross-entropy and accuracy on (x, y). */
  evaluate(x: unknown, y: unknown): { loss: number; accuracy: number } {
    const { model, classes } = this.state;
    const X = readMatrix(x, 'x', model.inputSize);
    const labels = readLabels(y, X.rows, 'y', classes);
    const { loss } = model.evaluate(toFloat32(X), labels);
    const predicted = model.predictClasses(toFloat32(X));
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
    this.fitted?.model.dispose();
    this.fitted = null;
  }
}
