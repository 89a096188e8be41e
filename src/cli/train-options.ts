// The options of `simdnet train`, their defaults, and their validation. The
// defaults are the ones `npm start` relies on to pass 0.97 on the digits.

import { type OptionSpec, type Values, choiceOption, hiddenOption, intOption, numberOption, stringOption } from './args.js';
import { UsageError } from './errors.js';
import type { Task } from './target.js';

export const BACKENDS = ['auto', 'wasm', 'js'] as const;
export type Backend = (typeof BACKENDS)[number];

export const TRAIN_DEFAULTS = {
  hidden: [128],
  activation: 'relu',
  epochs: 50,
  batchSize: 32,
  /** Regression's MSE gradients are larger than cross-entropy's, so it takes smaller steps. */
  lr: { classification: 0.1, regression: 0.01 } as Record<Task, number>,
  optimizer: 'sgd',
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
  backend: { type: 'string' },
  seed: { type: 'string' },
  'test-split': { type: 'string' },
  out: { type: 'string', short: 'o' },
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
  /** null: the default for the task. */
  lr: number | null;
  optimizer: string;
  backend: Backend;
  seed: number;
  testSplit: number;
  out: string | null;
  minAccuracy: number | null;
}

export function trainOptions(values: Values, positionals: string[]): TrainOptions {
  const target = stringOption(values, 'target', '');
  if (target === '') throw new UsageError('train: expected --target <column>, the column to predict (see simdnet train --help)');
  const task = typeof values.task === 'string' ? choiceOption(values, 'task', ['classification', 'regression'] as const, 'classification') : null;
  const d = TRAIN_DEFAULTS;
  return {
    data: positionals[0],
    target,
    task,
    hidden: hiddenOption(values, d.hidden),
    activation: stringOption(values, 'activation', d.activation),
    epochs: intOption(values, 'epochs', d.epochs, 1),
    batchSize: intOption(values, 'batch-size', d.batchSize, 1),
    lr: typeof values.lr === 'string' ? numberOption(values, 'lr', 0, (v) => v > 0, 'a number > 0') : null,
    optimizer: stringOption(values, 'optimizer', d.optimizer),
    backend: choiceOption(values, 'backend', BACKENDS, d.backend),
    seed: intOption(values, 'seed', d.seed, 0),
    testSplit: numberOption(values, 'test-split', d.testSplit, (v) => v >= 0 && v < 1, 'a fraction ≥ 0 and < 1'),
    out: typeof values.out === 'string' ? values.out : null,
    minAccuracy: typeof values['min-accuracy'] === 'string' ? numberOption(values, 'min-accuracy', 0, (v) => v >= 0 && v <= 1, 'a fraction from 0 to 1') : null,
  };
}
