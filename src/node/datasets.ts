// The real datasets shipped in datasets/ (Iris; UCI handwritten digits 8×8),
// with the fixed stratified train/test split recorded beside each. Node only.

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Matrix } from '../data.js';
import { InputError, describe } from '../errors.js';
import { fitNormalization, standardize } from '../standardize.js';

export const DATASETS = ['iris', 'digits'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface Dataset {
  name: DatasetName;
  x: Matrix;
  /** Class index of each row. */
  y: Int32Array;
  classes: string[];
  featureNames: string[];
  /** Row indices of the shipped stratified split. */
  train: number[];
  test: number[];
}

function datasetFile(name: string, file: string): URL {
  // dist/node/ and src/node/ both sit two levels below the package root.
  return new URL(`../../datasets/${name}/${file}`, import.meta.url);
}

export function loadDataset(name: DatasetName): Dataset {
  if (!DATASETS.includes(name)) throw new InputError(`name: expected one of ${DATASETS.join(', ')}, got ${describe(name)}`);
  const meta = JSON.parse(readFileSync(datasetFile(name, 'meta.json'), 'utf8'));
  const split = JSON.parse(readFileSync(datasetFile(name, 'splits.json'), 'utf8'));
  const records: string[][] = parse(readFileSync(datasetFile(name, `${name}.csv`), 'utf8'), { skip_empty_lines: true });
  const [header, ...rows] = records;
  const p = header.length - 1;
  const data = new Float32Array(rows.length * p);
  const y = new Int32Array(rows.length);
  rows.forEach((row, r) => {
    for (let c = 0; c < p; c++) data[r * p + c] = Number(row[c]);
    y[r] = Number(row[p]);
  });
  return { name, x: { data, shape: [rows.length, p] }, y, classes: meta.classes, featureNames: header.slice(0, p), train: split.train, test: split.test };
}

/** The rows `indices` of x and y. */
export function takeRows(x: Matrix, y: Int32Array, indices: readonly number[]): { x: Matrix; y: Int32Array } {
  const p = x.shape[1];
  const data = new Float32Array(indices.length * p);
  const labels = new Int32Array(indices.length);
  indices.forEach((i, r) => {
    data.set(x.data.subarray(i * p, (i + 1) * p), r * p);
    labels[r] = y[i];
  });
  return { x: { data, shape: [indices.length, p] }, y: labels };
}

/** Per-column mean and standard deviation of x, to standardize with statistics of the training part only. */
export function standardizer(x: Matrix): { mean: Float64Array; std: Float64Array; apply(m: Matrix): Matrix } {
  const p = x.shape[1];
  const n = fitNormalization(x.data, p, null);
  return {
    mean: Float64Array.from(n.mean),
    std: Float64Array.from(n.std),
    apply: (m: Matrix): Matrix => ({ data: standardize(m.data, p, null, n), shape: m.shape }),
  };
}
