// Standardization, z = (x − mean) / std per column, with the statistics taken
// from chosen rows only (the training part), so held-out rows stay unseen.

import { InputError } from './errors.js';

export interface Normalization {
  mean: number[];
  std: number[];
}

function columnName(names: readonly string[] | undefined, c: number): string {
  return JSON.stringify(names?.[c] ?? String(c));
}

/** Per-column mean and (population) standard deviation of `rows` of x (all rows if null); a constant column gets std 1. */
export function fitNormalization(x: ArrayLike<number>, p: number, rows: readonly number[] | null, names?: readonly string[]): Normalization {
  const count = rows ? rows.length : x.length / p;
  const mean = new Array<number>(p).fill(0), std = new Array<number>(p).fill(0);
  for (let i = 0; i < count; i++) {
    const r = rows ? rows[i] : i;
    for (let c = 0; c < p; c++) mean[c] += x[r * p + c];
  }
  for (let c = 0; c < p; c++) mean[c] /= count;
  for (let i = 0; i < count; i++) {
    const r = rows ? rows[i] : i;
    for (let c = 0; c < p; c++) std[c] += (x[r * p + c] - mean[c]) ** 2;
  }
  for (let c = 0; c < p; c++) {
    std[c] = Math.sqrt(std[c] / count) || 1;
    if (!Number.isFinite(mean[c]) || !Number.isFinite(std[c])) {
      throw new InputError(`column ${columnName(names, c)}: expected values small enough to standardize, got a mean or spread that overflows (${mean[c]}, ${std[c]})`);
    }
  }
  return { mean, std };
}

/** The rows `rows` of x (all if null), standardized, as float32: a model's input. */
export function standardize(x: ArrayLike<number>, p: number, rows: readonly number[] | null, n: Normalization, names?: readonly string[]): Float32Array {
  const count = rows ? rows.length : x.length / p;
  const out = new Float32Array(count * p);
  for (let i = 0; i < count; i++) {
    const r = rows ? rows[i] : i;
    for (let c = 0; c < p; c++) {
      // Checked as stored: a finite double may overflow float32.
      out[i * p + c] = (x[r * p + c] - n.mean[c]) / n.std[c];
      if (!Number.isFinite(out[i * p + c])) {
        throw new InputError(`column ${columnName(names, c)}: expected values within float32's reach of the training values, got ${x[r * p + c]} in row ${r + 1}, too far to standardize`);
      }
    }
  }
  return out;
}
