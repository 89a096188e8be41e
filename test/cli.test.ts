// The simdnet command end to end, spawned as a process: train on a small CSV,
// then predict and evaluate with the saved model; help, version, and the
// plain (non-terminal) progress output.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTROL, ROOT, assertBuilt, run, tempDir, writeIris, writeLinear } from './cli-helpers.js';

let dir: string;
let iris: string;
let model: string;
let trained: Awaited<ReturnType<typeof run>>;

beforeAll(async () => {
  assertBuilt();
  dir = await tempDir();
  iris = await writeIris(dir);
  model = join(dir, 'iris.simdnet');
  trained = await run('train', iris, '--target', 'species', '--hidden', '16', '--epochs', '60', '--batch-size', '8', '--lr', '0.01', '--early-stopping', 'off', '--backend', 'js', '--out', model);
}, 60_000);

describe('simdnet train → predict → evaluate (classification)', () => {
  it('trains, reports on the held-out rows and saves the model', async () => {
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const out = trained.stdout;
    expect(out).toMatch(/task: classification into 3 classes .*: setosa, versicolor, virginica/);
    expect(out).toMatch(/split: 60 training rows, 15 test rows \(stratified/);
    expect(out).toMatch(/validation: 12 of the 60 training rows \(stratified, --validation-split 0\.2\), the model trains on the other 48; no early stopping/);
    expect(out).toMatch(/model: 4 → 16 relu → 3 softmax; cross-entropy; adam lr 0\.01, weight decay 0\.0001; batch 8; 60 epochs\n/);
    expect(out).toMatch(/confusion matrix \(rows: true class, columns: predicted class\):\n\s+true\\pred\s+setosa\s+versicolor\s+virginica\n\s+setosa\s+5\s/);
    expect(out).toMatch(/validation rows: 12; last epoch 60 \(no early stopping\): val loss [\d.]+, val accuracy [\d.]+\n/);
    expect(out).toMatch(/training: 60 epochs × 48 rows in [\d.]+ s, [\d,]+ samples\/s on the js backend/);
    const accuracy = Number(/test accuracy ([\d.]+)/.exec(out)![1]);
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
    expect(await readdir(dir)).toEqual(['iris.csv', 'iris.simdnet']);
  });

  it('a batch size beyond the rows trains on all of them at once', async () => {
    const huge = await run('train', iris, '--target', 'species', '--epochs', '3', '--batch-size', '99999999999', '--backend', 'js');
    expect(huge.stderr).toBe('');
    expect(huge.code).toBe(0);
    expect(huge.stdout).toMatch(/batch 99999999999; up to 3 epochs/);
  });

  it('prints one plain line per epoch and no control characters when stdout is not a terminal', () => {
    const epochs = trained.stdout.split('\n').filter((l) => l.startsWith('epoch '));
    expect(epochs).toHaveLength(60);
    expect(epochs[0]).toMatch(/^epoch  1\/60  loss [\d.]+  accuracy [\d.]+  val loss [\d.]+  val accuracy [\d.]+  [\d,]+ samples\/s  elapsed [\d.]+ s  ETA [\d.]+ s$/);
    expect(trained.stdout).not.toMatch(CONTROL);
    expect(trained.stdout).not.toContain('\x1b');
    expect(trained.stdout).not.toContain('\r');
  });

  it('predicts class names and per-class probabilities, reading features by name', async () => {
    const { code, stdout, stderr } = await run('predict', model, iris);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toBe('predicted_species,prob_setosa,prob_versicolor,prob_virginica');
    expect(rows).toHaveLength(75);
    const truth = (await readFile(iris, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',')[4]);
    let correct = 0;
    rows.forEach((row, i) => {
      const [name, ...p] = row.split(',');
      const probs = p.map(Number);
      expect(probs.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      expect(name).toBe(['setosa', 'versicolor', 'virginica'][probs.indexOf(Math.max(...probs))]);
      if (name === truth[i]) correct++;
    });
    expect(correct / 75).toBeGreaterThan(0.9);

    // Columns in another order, the target dropped and an extra column: the same predictions.
    const lines = (await readFile(iris, 'utf8')).trim().split('\n').map((l) => l.split(','));
    const shuffled = lines.map((c, i) => [i === 0 ? 'note' : 'x', c[3], c[1], c[0], c[2]].join(','));
    await writeFile(join(dir, 'reordered.csv'), shuffled.join('\n') + '\n');
    const again = await run('predict', model, join(dir, 'reordered.csv'));
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(stdout);
  });

  it('writes predictions to --out through a temporary file, leaving nothing else', async () => {
    const target = join(dir, 'predictions.csv');
    const { code, stdout } = await run('predict', model, iris, '--out', target);
    expect(code).toBe(0);
    expect(stdout).toBe(`wrote 75 predictions to ${target}\n`);
    expect((await readFile(target, 'utf8')).split('\n')[0]).toBe('predicted_species,prob_setosa,prob_versicolor,prob_virginica');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('evaluates with the same report as train, and agrees with the predictions', async () => {
    const { code, stdout, stderr } = await run('evaluate', model, iris, '--target', 'species', '--backend', 'js');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/evaluation rows: 75\naccuracy [\d.]+ \(\d+ of 75 correct\), cross-entropy loss [\d.]+\nconfusion matrix/);
    expect(stdout).toMatch(/on the js backend/);
    const predicted = (await run('predict', model, iris)).stdout.trim().split('\n').slice(1).map((r) => r.split(',')[0]);
    const truth = (await readFile(iris, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',')[4]);
    const correct = predicted.filter((p, i) => p === truth[i]).length;
    expect(stdout).toContain(`(${correct} of 75 correct)`);
    // The target defaults to the one the model was trained on.
    const untimed = (s: string) => s.replace(/^evaluation: .*$/m, '');
    expect(untimed((await run('evaluate', model, iris, '--backend', 'js')).stdout)).toBe(untimed(stdout));
  });

  it("reports on the training rows with --test-split 0, and evaluate repeats train's numbers", async () => {
    const all = join(dir, 'all.simdnet');
    const t = await run('train', iris, '-t', 'species', '--test-split', '0', '--epochs', '20', '--backend', 'js', '-o', all);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('all 75 rows train (--test-split 0)');
    const e = await run('evaluate', all, iris, '--backend', 'js');
    const line = (s: string) => /accuracy [\d.]+ \(\d+ of 75 correct\), cross-entropy loss [\d.]+/.exec(s)?.[0];
    expect(line(t.stdout)).toBeDefined();
    expect(line(e.stdout)).toBe(line(t.stdout));
  });
});

describe('simdnet regression', () => {
  it('infers regression, reports MSE, MAE and R², and predicts in the target units', async () => {
    const linear = await writeLinear(dir);
    const file = join(dir, 'linear.simdnet');
    const t = await run('train', linear, '--target', 'y', '--hidden', '16', '--epochs', '100', '--out', file);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/task: regression \(inferred/);
    expect(t.stdout).toMatch(/split: 160 training rows, 40 test rows \(shuffled/);
    expect(t.stdout).toMatch(/MSE [\d.e+-]+ {3}MAE [\d.e+-]+ {3}R² [\d.]+/);
    expect(Number(/test R² ([\d.-]+)/.exec(t.stdout)![1])).toBeGreaterThan(0.95);
    const p = await run('predict', file, linear);
    const predicted = p.stdout.trim().split('\n');
    expect(predicted[0]).toBe('predicted_y');
    const truth = (await readFile(linear, 'utf8')).trim().split('\n').slice(1).map((l) => Number(l.split(',')[3]));
    const mae = truth.reduce((s, y, i) => s + Math.abs(Number(predicted[i + 1]) - y), 0) / truth.length;
    expect(mae).toBeLessThan(1.5); // y spans about −10 … 40
    const e = await run('evaluate', file, linear);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/evaluation rows: 200\nMSE .* R² 0\.9\d+/);
  });

  it('stops with a clear error, and writes nothing, when the loss diverges', async () => {
    const linear = await writeLinear(dir);
    const file = join(dir, 'diverged.simdnet');
    const t = await run('train', linear, '--target', 'y', '--optimizer', 'sgd', '--lr', '5', '--out', file);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/^simdnet: training diverged: the (loss or the gradients|weights) became non-finite in epoch \d+(, batch \d+ \(the model keeps its weights from before that step\))?; try a smaller --lr \(it was 5\); no model written\n$/);
    expect(await readdir(dir)).not.toContain('diverged.simdnet');
  });
});

describe('simdnet help and version', () => {
  it.each([[['--help']], [['-h']], [['train', '--help']], [['predict', '--help']], [['evaluate', '-h']], [['help', 'train']]])('%j prints usage', async (args) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^(simdnet: .*\n\n)?usage:/);
    expect(stdout).not.toMatch(CONTROL);
  });

  it('train --help documents the defaults and how the task is inferred', async () => {
    const { stdout } = await run('train', '--help');
    expect(stdout).toContain('(default 128)');
    expect(stdout).toContain('most 20 distinct values');
    expect(stdout).toContain('Class names are sorted');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    const { code, stdout } = await run('--version');
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
  });
});
