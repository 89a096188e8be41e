// The options of `simdnet train`, their defaults, and their validation. The
// defaults were chosen by scripts/measure-defaults.mjs (seeds 1–10 on generated
// data with a known answer, iris and the digits, against linear and logistic
// regression on the same split); `npm start` relies on them to pass 0.97 on the digits.

import { type OptionSpec, type Values, choiceOption, hiddenOption, intOption, numberOption, stringOption } from './args.js';
import { UsageError } from './errors.js';
import type { Task } from './target.js';

export const BACKENDS = ['auto', 'wasm', 'js'] as const;
export type Backend = (typeof BACKENDS)[number];

export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const LR_SCHEDULES = ['constant', 'step', 'exponential', 'cosine', 'warmup-cosine'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

export const TRAIN_DEFAULTS = {
  hidden: [128],
  activation: 'relu',
  /** The most epochs: early stopping usually ends training well before. */
  epochs: 1000,
  /** Small data has few batches per epoch: 16 rows per step gives it steps to learn with. */
  batchSize: 16,
  optimizer: 'adam' as OptimizerName,
  /**
   * The learning rate when --lr is not given, by optimizer. Plain SGD keeps the rates it
   * had as the default (regression's MSE gradients are larger than cross-entropy's).
   */
  lr: {
    sgd: { classification: 0.1, regression: 0.01 },
    adam: { classification: 0.001, regression: 0.001 },
    adamw: { classification: 0.001, regression: 0.001 },
    rmsprop: { classification: 0.001, regression: 0.001 },
  } as Record<OptimizerName, Record<Task, number>>,
  weightDecay: 0.0001,
  dropout: 0,
  batchNorm: false,
  /** Share of the training rows held out to watch for early stopping. */
  validationSplit: 0.2,
  /**
   * Epochs without a lower validation loss before training stops; 0: never stop early. Long,
   * because on a few hundred rows an epoch is a handful of steps and a small validation
   * part's loss is noisy: a patience of 20 stopped iris on some seeds before it had learned.
   */
  earlyStopping: 100,
  lrSchedule: 'constant' as LrSchedule,
  backend: 'auto' as Backend,
  seed: 1,
  testSplit: 0.2,
};

export const TRAIN_SPEC: OptionSpec = {
  target: { type: 'string', short: 't' },
  task: { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  optimizer: { type: 'string' },
  'lr-schedule': { type: 'string' },
  'weight-decay': { type: 'string' },
  dropout: { type: 'string' },
  'batch-norm': { type: 'boolean' },
  'validation-split': { type: 'string' },
  'early-stopping': { type: 'string' },
  backend: { type: 'string' },
  seed: { type: 'string' },
  'test-split': { type: 'string' },
  out: { type: 'string', short: 'o' },
  plot: { type: 'string' },
  'min-accuracy': { type: 'string' },
};

export interface TrainOptions {
  data: string;
  target: string;
  /** null: inferred from the target column. */
  task: Task | null;
  hidden: number[];
  activation: string;
  epochs: number;
  batchSize: number;
  /** null: the default of the optimizer for the task. */
  lr: number | null;
  optimizer: OptimizerName;
  lrSchedule: LrSchedule;
  weightDecay: number;
  dropout: number;
  batchNorm: boolean;
  validationSplit: number;
  /** Whether --validation-split was given: a default split that leaves no rows is skipped, a given one is an error. */
  validationGiven: boolean;
  /** Patience in epochs; 0: off. */
  earlyStopping: number;
  backend: Backend;
  seed: number;
  testSplit: number;
  out: string | null;
  plot: string | null;
  minAccuracy: number | null;
}

export function trainOptions(values: Values, positionals: string[]): TrainOptions {
  const target = stringOption(values, 'target', '');
  if (target === '') throw new UsageError('train: expected --target <column>, the column to predict (see simdnet train --help)');
  const task = typeof values.task === 'string' ? choiceOption(values, 'task', ['classification', 'regression'] as const, 'classification') : null;
  const d = TRAIN_DEFAULTS;
  const validationSplit = numberOption(values, 'validation-split', d.validationSplit, (v) => v >= 0 && v < 1, 'a fraction ≥ 0 and < 1 of the training rows (0: no validation)');
  const early = earlyStoppingOption(values, d.earlyStopping);
  if (validationSplit === 0 && early.given && early.patience > 0) {
    throw new UsageError(`--early-stopping: expected a validation split to watch (--validation-split > 0) or --early-stopping off, got --validation-split 0 and --early-stopping ${early.patience}`);
  }
  const plot = typeof values.plot === 'string' ? values.plot : null;
  if (plot !== null && !/\.svg$/i.test(plot)) throw new UsageError(`--plot: expected a file name ending in .svg, got ${JSON.stringify(plot)}`);
  const out = typeof values.out === 'string' ? values.out : null;
  if (plot !== null && out !== null && plot === out) throw new UsageError(`--plot: expected a file other than the model file (--out), got ${JSON.stringify(plot)} for both`);
  return {
    data: positionals[0],
    target,
    task,
    hidden: hiddenOption(values, d.hidden),
    activation: stringOption(values, 'activation', d.activation),
    epochs: intOption(values, 'epochs', d.epochs, 1),
    batchSize: intOption(values, 'batch-size', d.batchSize, 1),
    lr: typeof values.lr === 'string' ? numberOption(values, 'lr', 0, (v) => v > 0, 'a number > 0') : null,
    optimizer: choiceOption(values, 'optimizer', OPTIMIZERS, d.optimizer),
    lrSchedule: choiceOption(values, 'lr-schedule', LR_SCHEDULES, d.lrSchedule),
    weightDecay: numberOption(values, 'weight-decay', d.weightDecay, (v) => v >= 0, 'a number ≥ 0 (0: no weight decay)'),
    dropout: numberOption(values, 'dropout', d.dropout, (v) => v >= 0 && v < 1, 'a rate ≥ 0 and < 1 (0: no dropout)'),
    batchNorm: values['batch-norm'] === true,
    validationSplit,
    validationGiven: typeof values['validation-split'] === 'string',
    earlyStopping: validationSplit === 0 ? 0 : early.patience,
    backend: choiceOption(values, 'backend', BACKENDS, d.backend),
    seed: intOption(values, 'seed', d.seed, 0),
    testSplit: numberOption(values, 'test-split', d.testSplit, (v) => v >= 0 && v < 1, 'a fraction ≥ 0 and < 1'),
    out,
    plot,
    minAccuracy: typeof values['min-accuracy'] === 'string' ? numberOption(values, 'min-accuracy', 0, (v) => v >= 0 && v <= 1, 'a fraction from 0 to 1') : null,
  };
}

/** --early-stopping <patience>: an integer ≥ 0, or off (the same as 0). */
function earlyStoppingOption(values: Values, fallback: number): { patience: number; given: boolean } {
  const raw = values['early-stopping'];
  if (typeof raw !== 'string') return { patience: fallback, given: false };
  if (/^\s*off\s*$/i.test(raw)) return { patience: 0, given: true };
  const v = /^\s*\+?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v)) throw new UsageError(`--early-stopping: expected a patience in epochs (an integer ≥ 0) or off, got ${JSON.stringify(raw)}`);
  return { patience: v, given: true };
}

/** The learning rate that runs: --lr, or the optimizer's default for the task. */
export function defaultLr(optimizer: OptimizerName, task: Task): number {
  return TRAIN_DEFAULTS.lr[optimizer][task];
}
