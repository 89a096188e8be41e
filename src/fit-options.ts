// fit's options, checked before any work so a rejected fit leaves the model untouched.

import { type Callbacks, checkCallbacks } from './callbacks.js';
import type { MatrixInput } from './data.js';
import { InputError, describe } from './errors.js';
import { readOptions } from './options.js';

export interface FitOptions {
  /** Passes over the training rows; default 1. */
  epochs?: number;
  /** Rows per gradient step; default 32. 1 is online (per-sample) learning. */
  batchSize?: number;
  /** Reshuffle the rows every epoch; default true. */
  shuffle?: boolean;
  /** Fraction of rows, taken from the end before shuffling, held out and evaluated after each epoch. */
  validationSplit?: number;
  /** Explicit validation rows instead of a split. */
  validationData?: [MatrixInput, unknown];
  /** Seed of the shuffle; default: derived from the model's seed and how many fits it has run. */
  seed?: number;
  /** One callbacks object or a list of them, called in order. */
  callbacks?: Callbacks | Callbacks[];
}

const FIT_KEYS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'seed', 'callbacks'] as const;

export interface Checked {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  validationSplit: number;
  validationData: [MatrixInput, unknown] | undefined;
  seed: number | undefined;
  callbacks: Callbacks[];
}

/** Options checked before any work, so a rejected fit leaves the model untouched. */
export function checkOptions(options: unknown): Checked {
  const o = readOptions(options, 'options', FIT_KEYS);
  const epochs = o.epochs ?? 1;
  if (typeof epochs !== 'number' || !Number.isSafeInteger(epochs) || epochs < 0) throw new InputError(`epochs: expected an integer ≥ 0, got ${describe(epochs)}`);
  const batchSize = o.batchSize ?? 32;
  // Any size is accepted: a batch larger than the data is the data.
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) throw new InputError(`batchSize: expected an integer ≥ 1, got ${describe(batchSize)}`);
  const split = o.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new InputError(`validationSplit: expected a number in [0, 1), got ${describe(split)}`);
  const data = o.validationData;
  if (data !== undefined && (!Array.isArray(data) || data.length !== 2)) throw new InputError(`validationData: expected [x, y], got ${describe(data)}`);
  if (split > 0 && data) throw new InputError('validationSplit: expected either validationSplit or validationData, got both');
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed))) throw new InputError(`seed: expected an integer, got ${describe(o.seed)}`);
  const shuffle = o.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new InputError(`shuffle: expected true or false, got ${describe(shuffle)}`);
  return { epochs, batchSize, shuffle, validationSplit: split, validationData: data as Checked['validationData'], seed: o.seed as number | undefined, callbacks: checkCallbacks(o.callbacks) };
}
