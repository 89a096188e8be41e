// What `train` saves beside the weights so `predict` and `evaluate` can read a
// new CSV the same way: feature names in order, the target, the task, class
// names, and the standardization statistics (of the features and, for
// regression, of the target).

import type { BackendOption } from '../backend/select.js';
import { InputError, SimdnetError } from '../errors.js';
import type { Sequential } from '../model.js';
import { loadModelFile, writeFileAtomic } from '../node/files.js';
import { DataError, fileError } from './errors.js';
import type { Normalization } from './split.js';
import type { Task } from './target.js';

export const METADATA_KIND = 'simdnet-cli';
export const METADATA_VERSION = 1;

export interface CliMetadata {
  kind: typeof METADATA_KIND;
  version: typeof METADATA_VERSION;
  task: Task;
  target: string;
  features: string[];
  /** Class names in output order (classification only). */
  classes?: string[];
  normalization: Normalization;
  /** The model predicts (y − mean) / std (regression only). */
  targetNormalization?: { mean: number; std: number };
}

export async function loadCliModel(path: string, backend: BackendOption): Promise<{ model: Sequential; meta: CliMetadata }> {
  let model: Sequential;
  try {
    model = await loadModelFile(path, { backend });
  } catch (e) {
    // An unreadable file says why in the file system's words; a readable one, what in it is wrong.
    if (e instanceof InputError && (e.cause as NodeJS.ErrnoException)?.code) throw fileError('read model', path, e.cause);
    if (e instanceof SimdnetError) throw new DataError(`${path}: not a usable simdnet model file: ${e.message}`);
    throw e;
  }
  const problem = metadataProblem(model.metadata, model);
  if (problem) {
    model.dispose();
    throw new DataError(`${path}: a simdnet model, but not one saved by \`simdnet train\`: ${problem}`);
  }
  return { model, meta: model.metadata as unknown as CliMetadata };
}

const isNumbers = (a: unknown, n: number) => Array.isArray(a) && a.length === n && a.every((v) => typeof v === 'number' && Number.isFinite(v));

/** Why `a` is not a list of n distinct names, or null. */
function namesProblem(a: unknown, n: number, what: string): string | null {
  if (!Array.isArray(a) || a.length !== n || !a.every((v) => typeof v === 'string')) return `expected ${n} ${what} names`;
  const seen = new Set<string>();
  for (const name of a as string[]) {
    if (seen.has(name)) return `expected ${n} distinct ${what} names, got ${JSON.stringify(name)} twice`;
    seen.add(name);
  }
  return null;
}

/** Why a standard deviation list cannot scale inputs, or null: each must be finite and > 0. */
function spreadProblem(std: unknown[]): string | null {
  const at = std.findIndex((v) => !(typeof v === 'number' && v > 0 && Number.isFinite(v)));
  return at < 0 ? null : `[${at}]: expected a standard deviation > 0, got ${JSON.stringify(std[at])}`;
}

function metadataProblem(m: Record<string, unknown>, model: Sequential): string | null {
  if (m.kind !== METADATA_KIND) return `metadata.kind: expected ${JSON.stringify(METADATA_KIND)}, got ${JSON.stringify(m.kind)}`;
  if (m.version !== METADATA_VERSION) return `metadata.version: expected ${METADATA_VERSION}, got ${JSON.stringify(m.version)}`;
  if (m.task !== 'classification' && m.task !== 'regression') return `metadata.task: expected classification or regression, got ${JSON.stringify(m.task)}`;
  if (typeof m.target !== 'string') return 'metadata.target: expected the target column name';
  const p = model.inputSize;
  const features = namesProblem(m.features, p, 'feature');
  if (features) return `metadata.features: ${features} for a model with ${p} inputs`;
  const n = m.normalization as Normalization | undefined;
  if (typeof n !== 'object' || n === null || !isNumbers(n.mean, p) || !isNumbers(n.std, p)) return `metadata.normalization: expected mean and std of ${p} features`;
  const spread = spreadProblem(n.std);
  if (spread) return `metadata.normalization.std${spread}`;
  if (m.task === 'classification') {
    const classes = namesProblem(m.classes, model.outputSize, 'class');
    if (classes) return `metadata.classes: ${classes}`;
  } else {
    const t = m.targetNormalization as { mean?: unknown; std?: unknown } | undefined;
    if (model.outputSize !== 1 || typeof t !== 'object' || t === null || !isNumbers([t.mean, t.std], 2)) return 'metadata.targetNormalization: expected the mean and std of one target';
    if (!((t.std as number) > 0)) return `metadata.targetNormalization.std: expected a standard deviation > 0, got ${t.std}`;
  }
  return null;
}

/** Write `text` through a temporary file and a rename, so no half-written file is ever left. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text);
  } catch (e) {
    throw fileError('write', path, e);
  }
}
