// The report after training and from `evaluate`: accuracy, loss and a
// confusion matrix for classification; MSE, MAE and R² for regression, in the
// target's own units.

import type { Sequential } from '../model.js';

export interface ClassificationReport {
  task: 'classification';
  rows: number;
  correct: number;
  accuracy: number;
  loss: number;
  classes: readonly string[];
  /** confusion[true][predicted] = rows. */
  confusion: number[][];
}

export interface RegressionReport {
  task: 'regression';
  rows: number;
  mse: number;
  mae: number;
  r2: number;
}

export type Report = ClassificationReport | RegressionReport;

export function classificationReport(model: Sequential, x: Float32Array, y: Int32Array, classes: readonly string[]): ClassificationReport {
  const matrix = { data: x, shape: [y.length, model.inputSize] as [number, number] };
  const predicted = model.predictClasses(matrix);
  const confusion = classes.map(() => new Array<number>(classes.length).fill(0));
  let correct = 0;
  y.forEach((t, i) => {
    confusion[t][predicted[i]]++;
    if (t === predicted[i]) correct++;
  });
  const { loss } = model.evaluate(matrix, y);
  return { task: 'classification', rows: y.length, correct, accuracy: correct / y.length, loss, classes, confusion };
}

export function regressionReport(predicted: Float64Array, truth: Float64Array): RegressionReport {
  const n = truth.length;
  let mean = 0;
  for (const t of truth) mean += t / n;
  let sse = 0, sae = 0, sst = 0;
  truth.forEach((t, i) => {
    const e = predicted[i] - t;
    sse += e * e;
    sae += Math.abs(e);
    sst += (t - mean) ** 2;
  });
  // A constant target: R² is 1 when predicted exactly, else 0 (as the library's metrics say).
  const r2 = sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0;
  return { task: 'regression', rows: n, mse: sse / n, mae: sae / n, r2 };
}

/** The report as lines; `part` names the rows it covers ("test", "training", "evaluation"). */
export function formatReport(report: Report, part: string): string[] {
  if (report.task === 'regression') {
    return [`${part} rows: ${report.rows}`, `MSE ${fmt(report.mse)}   MAE ${fmt(report.mae)}   R² ${report.r2.toFixed(4)}`];
  }
  return [
    `${part} rows: ${report.rows}`,
    `accuracy ${report.accuracy.toFixed(4)} (${report.correct} of ${report.rows} correct), cross-entropy loss ${report.loss.toFixed(4)}`,
    'confusion matrix (rows: true class, columns: predicted class):',
    ...formatConfusion(report.classes, report.confusion),
  ];
}

export function formatConfusion(classes: readonly string[], confusion: number[][]): string[] {
  const corner = 'true\\pred';
  const labels = classes.map((c) => (c.length > 16 ? c.slice(0, 15) + '…' : c));
  const largest = Math.max(0, ...confusion.flat());
  const cell = Math.max(String(largest).length, ...labels.map((l) => l.length));
  const first = Math.max(corner.length, ...labels.map((l) => l.length));
  const lines = [`  ${corner.padEnd(first)} ${labels.map((l) => l.padStart(cell)).join(' ')}`];
  confusion.forEach((row, t) => lines.push(`  ${labels[t].padStart(first)} ${row.map((v) => String(v).padStart(cell)).join(' ')}`));
  return lines;
}

/**
 * At least four significant digits, trailing zeros kept ("75.00", "0.1230"): from 10⁴ up to
 * 10⁹ every integer digit ("123457"), beyond that and below 10⁻³ four in exponent form
 * ("1.235e+9", "1.230e-4"). Never fewer, so 75.004 does not read as "75".
 */
export function fmt(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) {
    const s = v.toPrecision(4);
    // toPrecision writes 9999.5 as "1.000e+4": that is the integer form's job.
    return s.includes('e') ? v.toFixed(0) : s;
  }
  if (a >= 1e4 && a < 1e9) return v.toFixed(0);
  return v.toExponential(3);
}

export function formatRate(samples: number, seconds: number): string {
  return Math.round(samples / Math.max(seconds, 1e-9)).toLocaleString('en-US');
}
