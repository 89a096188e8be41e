// Evaluation over many rows, in batch-sized chunks through the evaluate program:
// the loss (reduced as the loss says), accuracy for classification, and MSE, MAE
// and R² (averaged over outputs, as scikit-learn does) for regression.

import type { BatchPlan, Engine } from './engine.js';
import { chunkRows } from './plan.js';

export interface ClassificationMetrics {
  loss: number;
  /** Absent for multi-output binary cross-entropy (multi-label), where argmax accuracy has no meaning. */
  accuracy?: number;
}

export interface RegressionMetrics {
  loss: number;
  mse: number;
  mae: number;
  r2: number;
}

export type Metrics = ClassificationMetrics | RegressionMetrics;

export function evaluateRows(engine: Engine, plan: BatchPlan, x: Float32Array, t: Float32Array, rows: number): Metrics {
  const cols = engine.outputSize;
  const regression = !engine.loss.isClassification;
  // A callback may evaluate in the middle of an epoch: keep that epoch's running sums.
  const heldLoss = engine.summedLoss, heldCorrect = engine.correctCount;
  engine.resetAccumulators();
  const ssRes = new Float64Array(cols);
  let absError = 0;
  const chunk = chunkRows(plan.capacity);
  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    engine.stage(plan, x, t, start, n);
    engine.run(plan.evaluate, n);
    if (!regression) continue;
    const f = engine.kernels.heap.f32;
    for (let i = 0, at = plan.output >> 2, ti = start * cols; i < n * cols; i++) {
      const e = f[at + i] - t[ti + i];
      absError += Math.abs(e);
      ssRes[i % cols] += e * e;
    }
  }
  const loss = engine.loss.reduce(engine.summedLoss, rows, cols);
  const correct = engine.correctCount;
  engine.restoreAccumulators(heldLoss, heldCorrect);
  if (!regression) return engine.tracksAccuracy ? { loss, accuracy: correct / rows } : { loss };
  const sse = ssRes.reduce((a, b) => a + b, 0);
  return { loss, mse: sse / (rows * cols), mae: absError / (rows * cols), r2: rSquared(t, rows, cols, ssRes) };
}

/** Mean over outputs of 1 − SS_res/SS_tot; a constant target column scores 1 if predicted exactly, else 0. */
function rSquared(t: Float32Array, rows: number, cols: number, ssRes: Float64Array): number {
  const mean = new Float64Array(cols), ssTot = new Float64Array(cols);
  for (let i = 0; i < rows * cols; i++) mean[i % cols] += t[i] / rows;
  for (let i = 0; i < rows * cols; i++) ssTot[i % cols] += (t[i] - mean[i % cols]) ** 2;
  let sum = 0;
  for (let c = 0; c < cols; c++) sum += ssTot[c] > 0 ? 1 - ssRes[c] / ssTot[c] : ssRes[c] === 0 ? 1 : 0;
  return sum / cols;
}
