// The CLI's pieces on their own: the seeded stratified split, standardization
// from the training rows only, task inference and class order, the confusion
// matrix, and the progress display on a terminal and off one.
import { describe, expect, it } from 'vitest';
import type { Table } from '../src/cli/csv.js';
import { createProgress } from '../src/cli/progress.js';
import { fmt, formatConfusion, formatReport, regressionReport } from '../src/cli/report.js';
import { fitNormalization, splitRows, standardize } from '../src/cli/split.js';
import { inferTask, learnClasses } from '../src/cli/target.js';
import { CONTROL } from './cli-helpers.js';

const table = (column: string[]): Table => ({ path: 't.csv', columns: ['y'], rows: column.map((c) => [c]), lines: column.map((_, i) => i + 2) });

describe('splitRows', () => {
  const classes = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));

  it('keeps each class its share of test rows, and is the same for the same seed', () => {
    const { train, test } = splitRows(100, 0.2, 7, classes);
    expect(test).toHaveLength(20);
    expect(train).toHaveLength(80);
    const count = (rows: number[], c: number) => rows.filter((r) => classes[r] === c).length;
    expect([count(test, 0), count(test, 1), count(test, 2)]).toEqual([12, 6, 2]);
    expect(new Set([...train, ...test]).size).toBe(100);
    expect(splitRows(100, 0.2, 7, classes)).toEqual({ train, test });
    expect(splitRows(100, 0.2, 8, classes).test).not.toEqual(test);
  });

  it('keeps a training row for every class, and all rows with --test-split 0', () => {
    const rare = Int32Array.from([0, 0, 0, 0, 1]);
    expect(splitRows(5, 0.5, 1, rare).train.filter((r) => rare[r] === 1)).toHaveLength(1);
    expect(splitRows(5, 0, 1, rare)).toEqual({ train: [0, 1, 2, 3, 4], test: [] });
    expect(() => splitRows(5, 0.01, 1, null)).toThrow(/--test-split 0.01 of 5 rows leaves no test rows/);
  });
});

describe('standardization', () => {
  it('uses the mean and std of the training rows only', () => {
    // Two columns; the test row (index 3) is far off and must not move the statistics.
    const x = Float64Array.from([1, 10, 2, 10, 3, 10, 1000, -5]);
    const n = fitNormalization(x, 2, [0, 1, 2], ['a', 'b']);
    expect(n.mean).toEqual([2, 10]);
    expect(n.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(n.std[1]).toBe(1); // a constant column is shifted, not divided by zero
    const z = standardize(x, 2, [0, 3], n, ['a', 'b']);
    expect(Array.from(z)).toEqual(Array.from(Float32Array.from([-1 / Math.sqrt(2 / 3), 0, 998 / Math.sqrt(2 / 3), -15])));
  });
});

describe('task and classes', () => {
  it('infers classification for text or few distinct integers, regression otherwise', () => {
    expect(inferTask(table(['cat', 'dog']), 0)).toBe('classification');
    expect(inferTask(table(['0', '1', '2', '1']), 0)).toBe('classification');
    expect(inferTask(table(['0.5', '1', '2']), 0)).toBe('regression');
    expect(inferTask(table(Array.from({ length: 21 }, (_, i) => String(i))), 0)).toBe('regression');
  });

  it('sorts class names, numerically when every label is a number', () => {
    expect(learnClasses(table(['10', '9', '1.0', '1']), 0)).toEqual({ classes: ['1', '9', '10'], y: Int32Array.from([2, 1, 0, 0]) });
    expect(learnClasses(table(['b', 'a', 'B', 'a']), 0).classes).toEqual(['B', 'a', 'b']);
  });
});

describe('confusion matrix', () => {
  it('labels rows (true) and columns (predicted) with class names', () => {
    expect(formatConfusion(['cat', 'dog'], [[12, 3], [0, 105]])).toEqual([
      '  true\\pred cat dog',
      '        cat  12   3',
      '        dog   0 105',
    ]);
  });
});

function fakeStream(isTTY: boolean) {
  let text = '';
  const stream = { isTTY, columns: 200, write: (s: string) => ((text += s), true), cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

async function drive(isTTY: boolean, validation = false) {
  const out = fakeStream(isTTY);
  const p = createProgress({ epochs: 2, rows: 10, batchSize: 4, stream: out.stream });
  // The progress display never looks at the model fit passes last.
  const model = undefined as never;
  await p.callbacks.onTrainBegin?.(model);
  for (let e = 0; e < 2; e++) {
    await p.callbacks.onEpochBegin?.(e, model);
    for (let b = 0; b < 3; b++) await p.callbacks.onBatchEnd?.(b, { loss: 0.5 - e * 0.1, size: b < 2 ? 4 : 2 }, model);
    const logs = { loss: 0.5 - e * 0.1, accuracy: 0.8 + e * 0.1, ...(validation ? { val_loss: 0.6 - e * 0.05, val_accuracy: 0.75 + e * 0.05 } : {}) };
    await p.callbacks.onEpochEnd?.(e, logs, model);
  }
  p.stop();
  p.stop();
  return out.text();
}

describe('progress', () => {
  it('off a terminal: one plain line per epoch, no control characters', async () => {
    const text = await drive(false);
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^epoch 2\/2  loss 0\.4000  accuracy 0\.9000  [\d,]+ samples\/s  elapsed [\d.]+ s  ETA 0\.0 s$/);
    expect(text).not.toMatch(CONTROL);
  });

  it('off a terminal, with validation: the validation loss and accuracy after the training ones', async () => {
    const lines = (await drive(false, true)).trim().split('\n');
    expect(lines[0]).toMatch(/^epoch 1\/2  loss 0\.5000  accuracy 0\.8000  val loss 0\.6000  val accuracy 0\.7500  [\d,]+ samples\/s  elapsed [\d.]+ s  ETA [\d.]+ s$/);
    expect(lines[1]).toMatch(/^epoch 2\/2  loss 0\.4000  accuracy 0\.9000  val loss 0\.5500  val accuracy 0\.8000  /);
  });

  it('on a terminal, with validation: the last epoch\'s validation loss and accuracy in the bar', async () => {
    expect(await drive(true, true)).toMatch(/epoch 2\/2 \[=+\] batch 3\/3 {2}loss 0\.4000 {2}accuracy 0\.9000 {2}val loss 0\.5500 {2}val accuracy 0\.8000 {2}[\d,]+ samples\/s/);
  });

  it('on a terminal: a live bar with epoch, batch, loss, accuracy, samples/s and ETA', async () => {
    const text = await drive(true);
    expect(text).toContain('\x1b[?25l'); // the cursor is hidden while drawing …
    expect(text).toContain('\x1b[?25h'); // … and shown again at the end
    expect(text).toMatch(/epoch 2\/2 \[=+\] batch 3\/3 {2}loss 0\.4000 {2}accuracy 0\.9000 {2}[\d,]+ samples\/s {2}ETA \S+/);
  });
});

describe('MSE and MAE in the report', () => {
  it('have at least four significant digits, trailing zeros kept, for any magnitude', () => {
    expect(fmt(75)).toBe('75.00');
    expect(fmt(75.004)).toBe('75.00');
    expect(fmt(0.123)).toBe('0.1230');
    expect(fmt(1.5)).toBe('1.500');
    expect(fmt(0.0012345)).toMatch(/^0\.00123[45]$/);
    expect(fmt(9999.4)).toBe('9999');
    expect(fmt(9999.6)).toBe('10000');
    expect(fmt(12345.6)).toBe('12346');
    expect(fmt(5612345.2)).toBe('5612345');
    expect(fmt(-3.5)).toBe('-3.500');
    expect(fmt(1.2346e9)).toBe('1.235e+9');
    expect(fmt(0.00099)).toBe('9.900e-4');
    expect(fmt(0)).toBe('0');
  });

  it('read so in the report lines', () => {
    const truth = Float64Array.from([100, 200, 300, 400]);
    const report = regressionReport(Float64Array.from([175, 125, 375, 325]), truth);
    expect(formatReport(report, 'test')).toEqual(['test rows: 4', 'MSE 5625   MAE 75.00   R² 0.5500']);
    const big = regressionReport(Float64Array.from(truth, (v) => v * 1e4 + 12.5), Float64Array.from(truth, (v) => v * 1e4));
    expect(formatReport(big, 'test')[1]).toBe('MSE 156.3   MAE 12.50   R² 1.0000');
  });
});
