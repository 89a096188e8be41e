// From a CSV file to the arrays `train` feeds the model: features and target
// read and checked, the task settled, the rows split, and everything scaled
// with statistics of the training rows.

import { columnIndex, numericColumns, readCsv } from './csv.js';
import { DataError, aboutFile } from './errors.js';
import { type Normalization, type Split, fitNormalization, pick, splitRows, standardize } from './split.js';
import { MAX_INFERRED_CLASSES, type Task, inferTask, learnClasses, numericTarget } from './target.js';
import type { TrainOptions } from './train-options.js';

export interface Part {
  x: Float32Array;
  /** Class indices, or the target standardized (what the model learns). */
  y: Int32Array | Float32Array;
  /** The target in its own units (regression), for the report. */
  raw: Float64Array | null;
}

export interface Prepared {
  rows: number;
  features: string[];
  task: Task;
  /** Why this task: given with --task, or how it was inferred. */
  taskReason: string;
  classes: string[] | null;
  split: Split;
  normalization: Normalization;
  targetNormalization: { mean: number; std: number } | null;
  train: Part;
  test: Part;
}

/** What reading and splitting depend on (scripts/measure-defaults.mjs calls this with these alone). */
export type DataOptions = Pick<TrainOptions, 'data' | 'target' | 'task' | 'testSplit' | 'seed'>;

export async function prepareTraining(o: DataOptions): Promise<Prepared> {
  const table = await readCsv(o.data);
  const targetCol = columnIndex(table, o.target, 'target');
  const featureCols = table.columns.map((_, i) => i).filter((i) => i !== targetCol);
  if (featureCols.length === 0) throw new DataError(`${o.data}: expected feature columns besides the target ${JSON.stringify(o.target)}, got none`);
  const features = featureCols.map((i) => table.columns[i]);
  const task = o.task ?? inferTask(table, targetCol);
  const taskReason = o.task
    ? 'set by --task'
    : task === 'classification'
      ? `inferred: the target has text or at most ${MAX_INFERRED_CLASSES} distinct integers`
      : `inferred: the target has fractions or more than ${MAX_INFERRED_CLASSES} distinct integers`;
  // The target first: a wrong --target or a one-class target is the likelier mistake, and cheaper to report.
  const labels = task === 'classification' ? learnClasses(table, targetCol) : null;
  const values = task === 'regression' ? numericTarget(table, targetCol) : null;
  const x = numericColumns(table, featureCols);
  const p = features.length;
  const rows = table.rows.length;
  if (rows < 2) throw new DataError(`${o.data}: expected at least 2 data rows to train on, got ${rows}`);
  const split = splitRows(rows, o.testSplit, o.seed, labels?.y ?? null);
  const normalization = aboutFile(o.data, () => fitNormalization(x, p, split.train, features));
  const part = (indices: number[]): Part => {
    const xs = aboutFile(o.data, () => standardize(x, p, indices, normalization, features));
    if (labels) return { x: xs, y: pick(labels.y, indices), raw: null };
    const raw = pick(values!, indices);
    return { x: xs, y: Float32Array.from(raw, (v) => (v - targetNormalization!.mean) / targetNormalization!.std), raw };
  };
  let targetNormalization: Prepared['targetNormalization'] = null;
  if (values) {
    // Regression learns a standardized target, so one learning rate suits any units.
    const stats = aboutFile(o.data, () => fitNormalization(values, 1, split.train, [o.target]));
    targetNormalization = { mean: stats.mean[0], std: stats.std[0] };
  }
  return {
    rows,
    features,
    task,
    taskReason,
    classes: labels?.classes ?? null,
    split,
    normalization,
    targetNormalization,
    train: part(split.train),
    test: part(split.test),
  };
}

/** The rows fit trains on, and those it evaluates after every epoch (null: no validation). */
export interface Held {
  fit: Part;
  validation: Part | null;
  /** Why there is no validation although one was asked for by default, or null. */
  skipped: string | null;
}

/** Mixed into the seed so the validation rows are not drawn by the same sequence as the test rows. */
const VALIDATION_SEED = 0x5bd1e995;

/**
 * Hold out `fraction` of the training part for validation: stratified for classification, a
 * seeded shuffle for regression, as the test split. A default fraction that leaves no rows
 * (a tiny file) trains without validation; a given one is an error.
 */
export function holdOutValidation(data: Prepared, fraction: number, seed: number, given: boolean): Held {
  const { train } = data;
  const rows = data.split.train.length;
  if (fraction === 0) return { fit: train, validation: null, skipped: null };
  let split: Split;
  try {
    split = splitRows(rows, fraction, (seed ^ VALIDATION_SEED) >>> 0, data.classes ? (train.y as Int32Array) : null, '--validation-split');
  } catch (e) {
    if (given || !(e instanceof DataError)) throw e;
    return { fit: train, validation: null, skipped: `${rows} training rows are too few for --validation-split ${fraction}` };
  }
  if (split.train.length === 0) throw new DataError(`--validation-split ${fraction} of ${rows} rows leaves no rows to train on`);
  const p = data.features.length;
  return { fit: rowsOf(train, split.train, p), validation: rowsOf(train, split.test, p), skipped: null };
}

function rowsOf(part: Part, rows: readonly number[], p: number): Part {
  const x = new Float32Array(rows.length * p);
  rows.forEach((r, i) => x.set(part.x.subarray(r * p, (r + 1) * p), i * p));
  const y = part.y instanceof Int32Array ? pick(part.y, rows) : Float32Array.from(rows, (r) => part.y[r]);
  return { x, y, raw: part.raw ? pick(part.raw, rows) : null };
}
