// The public edge for data: row-major numbers with a shape, or nested arrays,
// checked and copied into Float32Array before anything touches a model.

import { firstNonFinite } from './backend/finite.js';
import { InputError, describe, isDetached } from './errors.js';

/** A row-major matrix: `data[r * shape[1] + c]`. */
export interface Matrix {
  /** float32, except the outputs of a float64 model. */
  data: Float32Array | Float64Array;
  shape: [number, number];
}

/** What the API accepts for a matrix. */
export type MatrixInput =
  | { data: ArrayLike<number>; shape: readonly [number, number] | readonly number[] }
  | ReadonlyArray<ArrayLike<number>>;

/** Class indices, one per row. */
export type LabelInput = ArrayLike<number>;

export function matrix(data: ArrayLike<number>, shape: readonly [number, number]): Matrix {
  const m = toMatrix({ data, shape }, 'matrix', undefined, { deferFinite: true });
  return { data: m.data === data ? Float32Array.from(m.data) : m.data, shape: m.shape };
}

/** A matrix as checked at the public edge: `valueAt` gives the caller's own value at a flat index, for messages. */
export interface CheckedMatrix extends Matrix {
  data: Float32Array;
  readonly valueAt: (at: number) => unknown;
}

export interface MatrixChecks {
  /**
   * Leave the check that every value is finite to the caller, who runs it where the
   * data lands (a kernel scan of the staged rows, ~30× faster than one in JS) and
   * reports a hit with nonFiniteError.
   */
  deferFinite?: boolean;
}

/** A matrix argument as Float32Array (copied unless it already is one), checking its shape and that every value is finite. */
export function toMatrix(value: unknown, name: string, cols?: number, checks: MatrixChecks = {}): CheckedMatrix {
  const m = Array.isArray(value) ? fromRows(value, name) : fromShaped(value, name);
  const [rows, width] = m.shape;
  if (rows === 0) throw new InputError(`${name}: expected at least one row, got an empty matrix`);
  if (cols !== undefined && width !== cols) {
    throw new InputError(`${name}: expected ${cols} columns per row (the model's width), got ${width}`);
  }
  if (!checks.deferFinite) {
    const at = firstNonFinite(m.data);
    if (at >= 0) throw nonFiniteError(m, name, at);
  }
  return m;
}

/** The error for the non-finite value at flat index `at` of m, quoting what the caller passed. */
export function nonFiniteError(m: CheckedMatrix, name: string, at: number): InputError {
  const width = m.shape[1];
  const given = m.valueAt(at);
  // A finite number beyond ±3.4e38 turns into ±Infinity in float32.
  const what = typeof given === 'number' && Number.isFinite(given) ? `${given}, beyond float32's range,` : describe(given);
  return new InputError(`${name}: expected finite numbers, got ${what} at row ${Math.floor(at / width)}, column ${at % width}`);
}

function fromRows(rows: readonly unknown[], name: string): CheckedMatrix {
  if (rows.length === 0) throw new InputError(`${name}: expected at least one row, got an empty array`);
  const first = rows[0];
  if (!isArrayLike(first)) throw new InputError(`${name}: expected an array of rows (number[][]), got ${describe(first)} as row 0`);
  const width = first.length;
  if (width === 0) throw new InputError(`${name}: expected rows with at least one column, got an empty row 0`);
  const data = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!isArrayLike(row) || row.length !== width) {
      const got = isArrayLike(row) ? `${row.length} values` : describe(row);
      throw new InputError(`${name}: expected every row to have ${width} values like row 0, got ${got} in row ${r}`);
    }
    for (let c = 0; c < width; c++) data[r * width + c] = numberAt(row, c, name, r);
  }
  return { data, shape: [rows.length, width], valueAt: (at) => (rows[Math.floor(at / width)] as ArrayLike<unknown>)[at % width] };
}

function fromShaped(value: unknown, name: string): CheckedMatrix {
  const v = value as { data?: unknown; shape?: unknown } | null;
  if (typeof v !== 'object' || v === null || !isArrayLike(v.data) || !Array.isArray(v.shape)) {
    throw new InputError(`${name}: expected number[][] or { data, shape: [rows, cols] }, got ${describe(value)}`);
  }
  if (ArrayBuffer.isView(v.data) && isDetached(v.data)) throw new InputError(`${name}.data: expected numbers, got ${describe(v.data)}`);
  if (v.data instanceof BigInt64Array || v.data instanceof BigUint64Array) throw new InputError(`${name}.data: expected numbers, got ${describe(v.data)} of bigints`);
  const shape = v.shape as unknown[];
  if (shape.length !== 2 || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new InputError(`${name}.shape: expected [rows, cols] of non-negative integers, got ${describe(shape)}`);
  }
  const [rows, cols] = shape as [number, number];
  if (v.data.length !== rows * cols) {
    throw new InputError(`${name}.data: expected ${rows}×${cols} = ${rows * cols} values for shape [${rows}, ${cols}], got ${v.data.length}`);
  }
  if (cols === 0) throw new InputError(`${name}.shape: expected at least one column, got [${rows}, 0]`);
  // A Float32Array is used as it is: allocating a copy costs more than a small batch's
  // whole forward pass. Other typed arrays hold numbers by construction: one bulk copy.
  const src = v.data as ArrayLike<unknown>;
  const valueAt = (at: number) => src[at];
  if (v.data instanceof Float32Array) return { data: v.data, shape: [rows, cols], valueAt };
  if (ArrayBuffer.isView(v.data)) return { data: new Float32Array(v.data as ArrayLike<number>), shape: [rows, cols], valueAt };
  // The first value's type is checked before the copy is allocated, so a sparse array costs nothing.
  if (rows * cols > 0 && typeof src[0] !== 'number') throw new InputError(`${name}.data: expected numbers, got ${describe(src[0])} at index 0`);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const x = src[i];
    if (typeof x !== 'number') throw new InputError(`${name}.data: expected numbers, got ${describe(x)} at index ${i}`);
    data[i] = x;
  }
  return { data, shape: [rows, cols], valueAt };
}

function numberAt(row: ArrayLike<unknown>, c: number, name: string, r: number): number {
  const x = row[c];
  if (typeof x !== 'number') throw new InputError(`${name}: expected numbers, got ${describe(x)} at row ${r}, column ${c}`);
  return x;
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView) && !isDetached(x));
}

/** Whether a target argument is a flat list (class indices or one value per row) rather than a matrix. */
export function isFlat(value: unknown): value is ArrayLike<number> {
  if (ArrayBuffer.isView(value)) return true;
  return Array.isArray(value) && (value.length === 0 || !isArrayLike(value[0]));
}

/** One-hot rows from class indices in [0, classes). */
export function oneHot(labels: ArrayLike<unknown>, classes: number, name: string): Float32Array {
  if (labels.length === 0) throw new InputError(`${name}: expected at least one label, got an empty list`);
  const out = new Float32Array(labels.length * classes);
  for (let r = 0; r < labels.length; r++) {
    const c = labels[r];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= classes) {
      throw new InputError(`${name}: expected class indices, integers in [0, ${classes - 1}], got ${describe(c)} at row ${r}`);
    }
    out[r * classes + c] = 1;
  }
  return out;
}

/** A flat list of one value per row as an n×1 matrix. */
export function column(values: ArrayLike<unknown>, name: string): CheckedMatrix {
  return toMatrix({ data: Array.from(values as ArrayLike<number>), shape: [values.length, 1] }, name);
}

/** The class of each row of model outputs: the argmax (ties: the first), or p ≥ 0.5 for one sigmoid column. */
export function classesOf(outputs: Matrix): Int32Array {
  const { data } = outputs;
  const [rows, cols] = outputs.shape;
  const classes = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (cols === 1) {
      classes[r] = data[r] >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < cols; c++) if (data[r * cols + c] > data[r * cols + best]) best = c;
    classes[r] = best;
  }
  return classes;
}
