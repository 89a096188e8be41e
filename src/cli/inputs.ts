// What predict and evaluate share: a model saved by `train`, and a CSV read
// by the feature names saved with it and standardized with its statistics.

import type { Sequential } from '../model.js';
import { aboutFile } from './errors.js';
import { type Table, featureIndices, numericColumns, readCsv } from './csv.js';
import { type CliMetadata, loadCliModel } from './model-file.js';
import { standardize } from './split.js';
import type { Backend } from './train-options.js';

export interface Inputs {
  model: Sequential;
  meta: CliMetadata;
  table: Table;
  /** The features of every row, standardized as in training: rows × features. */
  x: Float32Array;
}

export async function readInputs(modelPath: string, dataPath: string, backend: Backend): Promise<Inputs> {
  const { model, meta } = await loadCliModel(modelPath, backend);
  try {
    const table = await readCsv(dataPath);
    const cols = featureIndices(table, meta.features);
    const raw = numericColumns(table, cols);
    const x = aboutFile(dataPath, () => standardize(raw, cols.length, null, meta.normalization, meta.features));
    return { model, meta, table, x };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Rows of the model's outputs: probabilities per class, or the target in its own units. */
export function predictRows(inputs: Inputs): Float64Array {
  const { model, meta, x } = inputs;
  const out = model.predict({ data: x, shape: [inputs.table.rows.length, meta.features.length] }).data;
  const t = meta.targetNormalization;
  return t ? Float64Array.from(out, (v) => v * t.std + t.mean) : Float64Array.from(out);
}
