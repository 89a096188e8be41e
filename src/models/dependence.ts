// The sentence a rank-deficient linear regression carries: which columns of x
// are dependent and why, simplest cause first (zero, constant, duplicate), then
// the general one with the columns that make the dependent one up.

import type { Matrix64 } from './inputs.js';

/** How many dependent columns the note spells out; the rest are counted (dependentColumns lists them all). */
const SPELLED_OUT = 10;

/** explainedBy[i]: the columns a dependent column dependent[i] is a combination of ([] when it is negligible on its own). */
export function dependenceNote(X: Matrix64, rank: number, dependent: readonly number[], explainedBy: readonly (readonly number[])[]): string {
  const causes = dependent.slice(0, SPELLED_OUT).map((j, i) => `column ${j} ${cause(X, j, explainedBy[i])}`);
  if (dependent.length > SPELLED_OUT) causes.push(`${dependent.length - SPELLED_OUT} more (see dependentColumns)`);
  return (
    `x: rank ${rank} of ${X.cols} columns (after centring, which fits the intercept): ${causes.join('; ')}. ` +
    `Many coefficient vectors fit equally well; these are the one of least norm (as numpy's lstsq and scikit-learn give), ` +
    `the intercept fitted separately and not part of the norm. Dependent columns: [${dependent.join(', ')}].`
  );
}

function cause(X: Matrix64, j: number, parts: readonly number[]): string {
  const { rows: n, cols: p, data } = X;
  const at = (r: number, c: number) => data[r * p + c];
  let constant = true;
  for (let r = 1; r < n && constant; r++) constant = at(r, j) === at(0, j);
  if (constant) return at(0, j) === 0 ? 'is all zeros' : `is constant (every value is ${at(0, j)}), which the intercept already fits`;
  if (parts.length === 0) return "is nearly constant (its spread is below rcond × the largest column's), which the intercept already fits";
  if (parts.length === 1) {
    let same = true;
    for (let r = 0; r < n && same; r++) same = at(r, parts[0]) === at(r, j);
    return same ? `duplicates column ${parts[0]}` : `is a multiple of column ${parts[0]} plus a constant`;
  }
  return `is a linear combination of the intercept and columns ${list(parts)}`;
}

function list(columns: readonly number[]): string {
  return columns.length === 1 ? `${columns[0]}` : `${columns.slice(0, -1).join(', ')} and ${columns[columns.length - 1]}`;
}
