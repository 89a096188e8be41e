// The losses as plain functions on plain arrays, as a lecture writes them:
// predictions in, one number out. Models use the fused ops in losses.ts.

import { InputError, describe } from './errors.js';

export interface ReductionOption {
  /** 'mean' (default) or 'sum'. */
  reduction?: 'mean' | 'sum';
}

type Values = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

function flatten(v: Values, name: string): { data: number[]; rows: number; cols: number } {
  const rows = v.length;
  if (rows === 0) throw new InputError(`${name}: expected at least one value, got an empty array`);
  const first = v[0];
  if (typeof first === 'number') return { data: Array.from(v as ArrayLike<number>), rows, cols: 1 };
  const cols = (first as ArrayLike<number>).length;
  const data: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = v[r] as ArrayLike<number>;
    if (row?.length !== cols) throw new InputError(`${name}: expected rows of ${cols} values, got ${describe(row)} in row ${r}`);
    for (let c = 0; c < cols; c++) data.push(row[c]);
  }
  return { data, rows, cols };
}

function reduce(sum: number, count: number, option: ReductionOption): number {
  const reduction = option.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum') throw new InputError(`reduction: expected 'mean' or 'sum', got ${describe(reduction)}`);
  return reduction === 'sum' ? sum : sum / count;
}

/** Mean (over all elements) of squared differences. */
export function meanSquaredError(predictions: Values, targets: Values, option: ReductionOption = {}): number {
  const p = flatten(predictions, 'predictions'), t = flatten(targets, 'targets');
  if (p.data.length !== t.data.length) throw new InputError(`targets: expected ${p.data.length} values like predictions, got ${t.data.length}`);
  let sum = 0;
  for (let i = 0; i < p.data.length; i++) sum += (p.data[i] - t.data[i]) ** 2;
  return reduce(sum, p.data.length, option);
}

/**
 * Categorical cross-entropy −Σ t·ln p of probability rows against class indices
 * or one-hot/soft target rows; the mean is over rows.
 */
export function crossEntropy(probabilities: Values, targets: Values, option: ReductionOption = {}): number {
  const p = flatten(probabilities, 'probabilities');
  const t = flatten(targets, 'targets');
  if (t.rows !== p.rows) throw new InputError(`targets: expected ${p.rows} rows like probabilities, got ${t.rows}`);
  let sum = 0;
  for (let r = 0; r < p.rows; r++) {
    if (t.cols === 1 && p.cols > 1) {
      const c = t.data[r];
      if (!Number.isInteger(c) || c < 0 || c >= p.cols) throw new InputError(`targets: expected class indices in [0, ${p.cols - 1}], got ${c} at row ${r}`);
      sum -= Math.log(p.data[r * p.cols + c]);
    } else {
      if (t.cols !== p.cols) throw new InputError(`targets: expected ${p.cols} columns like probabilities, got ${t.cols}`);
      for (let c = 0; c < p.cols; c++) {
        const tv = t.data[r * p.cols + c];
        if (tv !== 0) sum -= tv * Math.log(p.data[r * p.cols + c]);
      }
    }
  }
  return reduce(sum, p.rows, option);
}

/** Binary cross-entropy −[t·ln p + (1−t)·ln(1−p)], mean over all elements. */
export function binaryCrossEntropy(probabilities: Values, targets: Values, option: ReductionOption = {}): number {
  const p = flatten(probabilities, 'probabilities'), t = flatten(targets, 'targets');
  if (p.data.length !== t.data.length) throw new InputError(`targets: expected ${p.data.length} values like probabilities, got ${t.data.length}`);
  let sum = 0;
  for (let i = 0; i < p.data.length; i++) {
    const tv = t.data[i], pv = p.data[i];
    sum -= (tv !== 0 ? tv * Math.log(pv) : 0) + (tv !== 1 ? (1 - tv) * Math.log(1 - pv) : 0);
  }
  return reduce(sum, p.data.length, option);
}
