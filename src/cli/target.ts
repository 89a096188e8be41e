// The target column: whether it asks for classification or regression, and
// its values as class indices or numbers.

import { type Table, listNames, numberAt, parseDecimal } from './csv.js';
import { DataError } from './errors.js';

export type Task = 'classification' | 'regression';

/** At most this many distinct integer values make a numeric target a class label. */
export const MAX_INFERRED_CLASSES = 20;

/** Classification when a target cell is not a number, or all are integers with few distinct values. */
export function inferTask(table: Table, col: number): Task {
  const distinct = new Set<number>();
  for (const row of table.rows) {
    if (row[col] === '') continue; // reported when the values are read
    const v = parseDecimal(row[col]);
    if (!Number.isFinite(v)) return 'classification';
    if (!Number.isInteger(v)) return 'regression';
    distinct.add(v);
  }
  return distinct.size <= MAX_INFERRED_CLASSES ? 'classification' : 'regression';
}

/** A class label as text; numbers are written one way, so "1.0" and "1" are the same class. */
export function labelOf(cell: string): string {
  const v = parseDecimal(cell);
  return Number.isFinite(v) ? String(v) : cell;
}

function emptyTarget(table: Table, row: number, col: number): DataError {
  return new DataError(`${table.path}: line ${table.lines[row]}, column ${JSON.stringify(table.columns[col])}: expected a target value, got an empty cell`);
}

/** Class names sorted (numerically when every label is a number), and each row's class index. */
export function learnClasses(table: Table, col: number): { classes: string[]; y: Int32Array } {
  const labels = table.rows.map((row, r) => {
    if (row[col] === '') throw emptyTarget(table, r, col);
    return labelOf(row[col]);
  });
  const distinct = [...new Set(labels)];
  const numeric = distinct.every((l) => Number.isFinite(parseDecimal(l)));
  const classes = numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (classes.length < 2) {
    throw new DataError(`${table.path}: target ${JSON.stringify(table.columns[col])}: expected at least 2 classes for classification, got only ${JSON.stringify(classes[0])} in all ${table.rows.length} rows`);
  }
  return { classes, y: indicesOf(table, col, labels, classes) };
}

/** Each row's index among the classes a model was trained on. */
export function classIndices(table: Table, col: number, classes: readonly string[]): Int32Array {
  const labels = table.rows.map((row, r) => {
    if (row[col] === '') throw emptyTarget(table, r, col);
    return labelOf(row[col]);
  });
  return indicesOf(table, col, labels, classes);
}

function indicesOf(table: Table, col: number, labels: string[], classes: readonly string[]): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(labels, (label, r) => {
    const i = index.get(label);
    if (i === undefined) {
      throw new DataError(`${table.path}: line ${table.lines[r]}, column ${JSON.stringify(table.columns[col])}: expected one of the model's classes ${listNames(classes)}, got ${JSON.stringify(label)}`);
    }
    return i;
  });
}

/** The target as numbers, for regression. */
export function numericTarget(table: Table, col: number): Float64Array {
  return Float64Array.from(table.rows, (row, r) => {
    if (row[col] === '') throw emptyTarget(table, r, col);
    return numberAt(table, r, col);
  });
}
