// Holding out a test part and scaling the features. The split is seeded:
// stratified for classification (each class keeps its share on both sides),
// a plain shuffle for regression. Standardization uses statistics of the
// training part only, so nothing about the test rows leaks into the model.

import { Random } from '../random.js';
import { DataError } from './errors.js';

export interface Split {
  train: number[];
  test: number[];
}

/** `option` names the option the fraction came from, for the message when it leaves no rows. */
export function splitRows(rows: number, fraction: number, seed: number, classes: Int32Array | null, option = '--test-split'): Split {
  const rng = new Random(seed);
  const test: number[] = [];
  if (fraction > 0) {
    const groups = classes ? groupByClass(classes) : [Int32Array.from({ length: rows }, (_, i) => i)];
    for (const group of groups) {
      rng.shuffle(group);
      // Every class keeps a training row; a lone row goes to training.
      const take = Math.min(Math.round(group.length * fraction), group.length - 1);
      for (let i = 0; i < take; i++) test.push(group[i]);
    }
    if (test.length === 0) {
      const what = option === '--test-split' ? 'test rows; use a larger --test-split (or 0 to train on every row)' : `validation rows; use a larger ${option} (or 0 for no validation)`;
      throw new DataError(`${option} ${fraction} of ${rows} rows leaves no ${what}`);
    }
  }
  const held = new Uint8Array(rows);
  for (const i of test) held[i] = 1;
  const train: number[] = [];
  for (let i = 0; i < rows; i++) if (!held[i]) train.push(i);
  return { train, test: test.sort((a, b) => a - b) };
}

function groupByClass(classes: Int32Array): Int32Array[] {
  const members = new Map<number, number[]>();
  classes.forEach((c, i) => {
    let list = members.get(c);
    if (!list) members.set(c, (list = []));
    list.push(i);
  });
  return [...members.keys()].sort((a, b) => a - b).map((c) => Int32Array.from(members.get(c)!));
}

export { fitNormalization, standardize, type Normalization } from '../standardize.js';

export function pick(values: Int32Array, rows: readonly number[]): Int32Array;
export function pick(values: Float64Array, rows: readonly number[]): Float64Array;
export function pick(values: Int32Array | Float64Array, rows: readonly number[]): Int32Array | Float64Array {
  const out = new (values.constructor as Int32ArrayConstructor | Float64ArrayConstructor)(rows.length);
  rows.forEach((r, i) => (out[i] = values[r]));
  return out;
}
