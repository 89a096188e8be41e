// Argument checks shared by the classic models. Matrices are validated by the
// library's own toMatrix (same messages as Sequential), then copied in float64:
// the closed-form solver and the perceptron deserve the caller's full precision.

import type { BackendOption } from '../backend/select.js';
import { isFlat, toMatrix } from '../data.js';
import { InputError, describe } from '../errors.js';
import { readOptions } from '../options.js';

/** A row-major float64 matrix. */
export interface Matrix64 {
  data: Float64Array;
  rows: number;
  cols: number;
}

export function readMatrix(value: unknown, name: string, cols?: number): Matrix64 {
  const checked = toMatrix(value, name, cols);
  const [rows, width] = checked.shape;
  const data = new Float64Array(rows * width);
  if (Array.isArray(value)) {
    value.forEach((row: ArrayLike<number>, r) => {
      for (let c = 0; c < width; c++) data[r * width + c] = row[c];
    });
  } else {
    data.set((value as { data: ArrayLike<number> }).data);
  }
  return { data, rows, cols: width };
}

/** Regression targets: a flat list is one output per row, a matrix is one row of outputs per row. */
export function readTargets(value: unknown, rows: number, name: string, cols?: number): Matrix64 {
  if (isFlat(value) && (cols === undefined || cols === 1)) {
    if (value.length !== rows) throw new InputError(`${name}: expected ${rows} values (one per row of x), got ${value.length}`);
    return readMatrix({ data: Array.from(value), shape: [rows, 1] }, name);
  }
  if (isFlat(value)) throw new InputError(`${name}: expected ${cols} targets per row (a ${rows}×${cols} matrix), got a flat list`);
  const m = readMatrix(value, name, cols);
  if (m.rows !== rows) throw new InputError(`${name}: expected ${rows} rows (one per row of x), got ${m.rows}`);
  return m;
}

/** Class labels as integers in [0, limit). */
export function readLabels(value: unknown, rows: number, name: string, limit = Infinity): Int32Array {
  if (!isFlat(value)) throw new InputError(`${name}: expected a flat list of class indices (one per row), got ${describe(value)}`);
  if (value.length !== rows) throw new InputError(`${name}: expected ${rows} labels (one per row of x), got ${value.length}`);
  const out = new Int32Array(rows);
  const range = limit === Infinity ? 'integers ≥ 0' : `integers in [0, ${limit - 1}]`;
  for (let r = 0; r < rows; r++) {
    const c = (value as ArrayLike<unknown>)[r];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= limit) {
      throw new InputError(`${name}: expected class indices, ${range}, got ${describe(c)} at row ${r}`);
    }
    out[r] = c;
  }
  return out;
}

/** Reject an options object that is not one, or that has a key the model does not know (a typo would else be ignored). */
export function checkOptionKeys(options: unknown, known: readonly string[]): Record<string, unknown> {
  return readOptions(options, 'options', known) as Record<string, unknown>;
}

export function positiveNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InputError(`${name}: expected a finite number > 0, got ${describe(value)}`);
  }
  return value;
}

export function positiveInteger(value: unknown, name: string, min = 1): number {
  if (!Number.isInteger(value) || (value as number) < min) {
    throw new InputError(`${name}: expected an integer ≥ ${min}, got ${describe(value)}`);
  }
  return value as number;
}

export function integer(value: unknown, name: string): number {
  if (!Number.isInteger(value)) throw new InputError(`${name}: expected an integer, got ${describe(value)}`);
  return value as number;
}

export function boolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new InputError(`${name}: expected true or false, got ${describe(value)}`);
  return value;
}

export function backend(value: unknown, name: string): BackendOption {
  if (value !== 'auto' && value !== 'wasm' && value !== 'js') throw new InputError(`${name}: expected 'wasm', 'js' or 'auto', got ${describe(value)}`);
  return value;
}

/** Options of the models trained through a Sequential with SGD. */
export interface TrainingOptions {
  /** Learning rate of SGD. */
  lr?: number;
  /** Passes over the training rows. */
  epochs?: number;
  /** Rows per gradient step; 1 is online learning. */
  batchSize?: number;
  /** Reshuffle the rows every epoch; default true. */
  shuffle?: boolean;
  /** Seed of the shuffle (and of the initial weights where they are random); default 0. */
  seed?: number;
  /** 'auto' (default), 'wasm' or 'js'. */
  backend?: BackendOption;
}

export const TRAINING_KEYS = ['lr', 'epochs', 'batchSize', 'shuffle', 'seed', 'backend'] as const;

export function checkTraining(o: Record<string, unknown>, defaults: { lr: number; epochs: number; batchSize: number }): Required<TrainingOptions> {
  return {
    lr: positiveNumber(o.lr ?? defaults.lr, 'options.lr'),
    epochs: positiveInteger(o.epochs ?? defaults.epochs, 'options.epochs'),
    batchSize: positiveInteger(o.batchSize ?? defaults.batchSize, 'options.batchSize'),
    shuffle: boolean(o.shuffle ?? true, 'options.shuffle'),
    seed: integer(o.seed ?? 0, 'options.seed'),
    backend: backend(o.backend ?? 'auto', 'options.backend'),
  };
}

/** Rows of a float64 matrix as Float32 for a Sequential. */
export function toFloat32(m: Matrix64): { data: Float32Array; shape: [number, number] } {
  return { data: Float32Array.from(m.data), shape: [m.rows, m.cols] };
}

export function notFitted(model: string): InputError {
  return new InputError(`model: expected a fitted ${model} (call fit first), got one that has not been fitted`);
}
