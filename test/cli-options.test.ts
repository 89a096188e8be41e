// The training options of `simdnet train` end to end, each spawned on a small CSV:
// the optimizer, dropout and batch norm (read back from the saved model), weight
// decay, the validation split and early stopping (in the progress lines and the
// report), the learning-rate schedules, and --plot's chart.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sequential } from '../src/model.js';
import { loadModelFile } from '../src/node/files.js';
import { assertBuilt, run, tempDir, writeFriedman, writeIris } from './cli-helpers.js';
import { charts, legends, readSvg, seriesLengths } from './helpers/svg.js';

let dir: string;
let iris: string;
let friedman: string;

beforeAll(async () => {
  assertBuilt();
  dir = await tempDir();
  iris = await writeIris(dir);
  friedman = await writeFriedman(dir);
});

const epochLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('epoch '));
const headerModel = (stdout: string) => /^model: .*$/m.exec(stdout)?.[0];

/** Train on the 75-row iris with `args`, save the model, and load it back. */
async function trained(name: string, ...args: string[]): Promise<{ stdout: string; model: Sequential }> {
  const file = join(dir, `${name}.simdnet`);
  const r = await run('train', iris, '--target', 'species', '--backend', 'js', '--out', file, ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { stdout: r.stdout, model: await loadModelFile(file, { backend: 'js' }) };
}

describe('--optimizer', () => {
  it.concurrent.each([
    ['sgd', 'sgd lr 0.1'],
    ['adam', 'adam lr 0.001'],
    ['adamw', 'adamw lr 0.001'],
    ['rmsprop', 'rmsprop lr 0.001'],
  ])('%s trains with its own default rate, and the model file records it', async (optimizer, shown) => {
    const { stdout, model } = await trained(`opt-${optimizer}`, '--epochs', '5', '--optimizer', optimizer);
    expect(headerModel(stdout)).toContain(`; ${shown}, weight decay 0.0001;`);
    expect(model.optimizer.type).toBe(optimizer);
    expect(model.optimizer.lr).toBeCloseTo(Number(shown.split(' ').at(-1)), 9);
    model.dispose();
  });

  it('--lr overrides the default rate of any optimizer', async () => {
    const { stdout, model } = await trained('opt-lr', '--epochs', '2', '--optimizer', 'rmsprop', '--lr', '0.02');
    expect(headerModel(stdout)).toContain('; rmsprop lr 0.02,');
    expect(model.optimizer.lr).toBeCloseTo(0.02, 9);
    model.dispose();
  });
});

describe('--dropout, --batch-norm and --weight-decay', () => {
  it('--dropout puts a Dropout layer after each hidden layer', async () => {
    const { stdout, model } = await trained('dropout', '--epochs', '3', '--hidden', '16,8', '--dropout', '0.25');
    expect(headerModel(stdout)).toMatch(/^model: 4 → 16 relu \(dropout 0\.25\) → 8 relu \(dropout 0\.25\) → 3 softmax;/);
    expect(model.layers.map((l) => l.config().type)).toEqual(['Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']);
    expect((model.layers[1] as unknown as { rate: number }).rate).toBe(0.25);
    model.dispose();
  });

  it('--batch-norm normalizes each hidden Dense before its activation', async () => {
    const { stdout, model } = await trained('batch-norm', '--epochs', '3', '--hidden', '16,8', '--batch-norm', '--activation', 'tanh');
    expect(headerModel(stdout)).toMatch(/^model: 4 → 16 tanh \(batch norm\) → 8 tanh \(batch norm\) → 3 softmax;/);
    expect(model.layers.map((l) => l.config().type)).toEqual(['Dense', 'BatchNorm', 'Activation', 'Dense', 'BatchNorm', 'Activation', 'Dense']);
    expect(model.layers.map((l) => l.activation?.name ?? null)).toEqual(['linear', null, 'tanh', 'linear', null, 'tanh', 'softmax']);
    model.dispose();
  });

  it('both: Dense, batch norm, activation, dropout', async () => {
    const { stdout, model } = await trained('both', '--epochs', '3', '--hidden', '12', '--batch-norm', '--dropout', '0.1');
    expect(headerModel(stdout)).toMatch(/^model: 4 → 12 relu \(batch norm, dropout 0\.1\) → 3 softmax;/);
    expect(model.layers.map((l) => l.config().type)).toEqual(['Dense', 'BatchNorm', 'Activation', 'Dropout', 'Dense']);
    model.dispose();
    // The saved model reads and predicts like any other.
    const e = await run('evaluate', join(dir, 'both.simdnet'), iris, '--backend', 'js');
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^evaluation rows: 75$/m);
  });

  it('--weight-decay sets the penalty; 0 turns it off', async () => {
    const a = await trained('decay', '--epochs', '2', '--weight-decay', '0.01');
    expect(headerModel(a.stdout)).toContain('adam lr 0.001, weight decay 0.01;');
    expect(a.model.optimizer.weightDecay).toBe(0.01);
    a.model.dispose();
    const b = await trained('no-decay', '--epochs', '2', '--weight-decay', '0');
    expect(headerModel(b.stdout)).not.toContain('weight decay');
    expect(b.model.optimizer.weightDecay).toBe(0);
    b.model.dispose();
  });
});

describe('validation and early stopping', () => {
  it('holds out a stratified share of the training rows and shows its loss and accuracy every epoch and in the report', async () => {
    const r = await run('train', iris, '--target', 'species', '--backend', 'js', '--validation-split', '0.2', '--early-stopping', 'off', '--epochs', '12');
    expect(r.code).toBe(0);
    // 60 training rows, 20 per class: 4 of each validate.
    expect(r.stdout).toMatch(/^validation: 12 of the 60 training rows \(stratified, --validation-split 0\.2\), the model trains on the other 48; no early stopping \(--early-stopping off\)$/m);
    const lines = epochLines(r.stdout);
    expect(lines).toHaveLength(12);
    for (const line of lines) expect(line).toMatch(/^epoch +\d+\/12  loss \d\.\d{4}  accuracy \d\.\d{4}  val loss \d\.\d{4}  val accuracy \d\.\d{4}  [\d,]+ samples\/s/);
    const last = /val loss (\d\.\d{4})  val accuracy (\d\.\d{4})/.exec(lines[11])!;
    expect(r.stdout).toContain(`validation rows: 12; last epoch 12 (no early stopping): val loss ${last[1]}, val accuracy ${last[2]}\n`);
    expect(r.stdout).toMatch(/^training: 12 epochs × 48 rows in /m);
  });

  it('stops after --early-stopping epochs without a lower validation loss and keeps the best epoch', async () => {
    // A high rate overfits the twelve validation rows within a few dozen epochs.
    const r = await run('train', iris, '--target', 'species', '--backend', 'js', '--lr', '0.05', '--epochs', '400', '--early-stopping', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/; early stopping after 3 epochs without a lower validation loss, keeping the best epoch's weights$/m);
    expect(headerModel(r.stdout)).toMatch(/; up to 400 epochs$/);
    const m = /^validation rows: 12; best epoch (\d+), its weights kept \(stopped after epoch (\d+) of 400: 3 epochs without a lower validation loss\): val loss (\d\.\d{4}), val accuracy (\d\.\d{4})$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    const [best, stopped] = [Number(m![1]), Number(m![2])];
    expect(stopped).toBe(best + 3);
    const lines = epochLines(r.stdout);
    expect(lines).toHaveLength(stopped);
    expect(r.stdout).toMatch(new RegExp(`^training: ${stopped} epochs × 48 rows in `, 'm'));
    // The report's validation loss is the best epoch's, which is the lowest of all the lines.
    const losses = lines.map((l) => /val loss (\d\.\d{4})/.exec(l)![1]);
    expect(losses[best - 1]).toBe(m![3]);
    expect(Math.min(...losses.map(Number))).toBe(Number(m![3]));
  });

  it('--validation-split 0 trains on every training row, without validation or early stopping', async () => {
    const r = await run('train', iris, '--target', 'species', '--backend', 'js', '--validation-split', '0', '--epochs', '7');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^validation: none \(--validation-split 0\); no early stopping$/m);
    expect(headerModel(r.stdout)).toMatch(/; 7 epochs$/);
    const lines = epochLines(r.stdout);
    expect(lines).toHaveLength(7);
    expect(lines.join('\n')).not.toContain('val ');
    expect(r.stdout).not.toContain('validation rows');
    expect(r.stdout).toMatch(/^training: 7 epochs × 60 rows in /m);
  });

  it('a file too small for the default validation split trains without one and says so', async () => {
    const { writeFile } = await import('node:fs/promises');
    const tiny = join(dir, 'tiny.csv');
    await writeFile(tiny, 'a,b,label\n1,2,x\n2,1,x\n3,3,x\n7,8,y\n8,7,y\n9,9,y\n');
    const r = await run('train', tiny, '--target', 'label', '--epochs', '3');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^validation: none \(4 training rows are too few for --validation-split 0\.2\); no early stopping$/m);
  });
});

describe('--lr-schedule', () => {
  // 60 training rows: 12 validate, 48 train, 3 batches of 16 per epoch; 8 epochs are 24 steps.
  it.concurrent.each([
    ['constant', 'adam lr 0.001,', null],
    ['step', 'adam lr 0.001 halved every 2 epochs,', { type: 'step', lr: 0.001, every: 6, factor: 0.5 }],
    ['exponential', 'adam lr 0.001 decaying exponentially to 0.00001 over 24 steps,', { type: 'exponential', lr: 0.001, rate: 0.01, steps: 24, staircase: false }],
    ['cosine', 'adam lr 0.001 on a cosine to 0 over 24 steps,', { type: 'cosine', lr: 0.001, steps: 24, floor: 0 }],
    ['warmup-cosine', 'adam lr warming up to 0.001 over 3 steps, then a cosine to 0 at step 24,', { type: 'warmup', steps: 3, then: { type: 'cosine', lr: 0.001, steps: 21, floor: 0 } }],
  ])('%s', async (schedule, shown, config) => {
    const { stdout, model } = await trained(`schedule-${schedule}`, '--epochs', '8', '--early-stopping', 'off', '--lr-schedule', schedule);
    expect(headerModel(stdout)).toContain(shown);
    expect(model.optimizer.schedule?.config ?? null).toEqual(config);
    model.dispose();
  });
});

describe('--plot', () => {
  it('classification: the loss and the accuracy per epoch, training and validation, in one SVG', async () => {
    const plot = join(dir, 'iris-history.svg');
    const r = await run('train', iris, '--target', 'species', '--backend', 'js', '--epochs', '15', '--early-stopping', 'off', '--plot', plot);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`plot saved to ${plot}\n`);
    const svg = readSvg(await readFile(plot, 'utf8'));
    expect(legends(svg)).toEqual([
      ['training loss', 'validation loss'],
      ['training accuracy', 'validation accuracy'],
    ]);
    for (const chart of charts(svg)) expect(seriesLengths(chart)).toEqual([15, 15]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('regression: the losses only; without validation, the training loss only', async () => {
    const plot = join(dir, 'friedman-history.svg');
    const r = await run('train', friedman, '--target', 'y', '--epochs', '10', '--early-stopping', 'off', '--plot', plot);
    expect(r.code).toBe(0);
    const svg = readSvg(await readFile(plot, 'utf8'));
    expect(legends(svg)).toEqual([['training loss', 'validation loss']]);
    expect(seriesLengths(charts(svg)[0])).toEqual([10, 10]);
    const alone = join(dir, 'friedman-no-validation.svg');
    expect((await run('train', friedman, '--target', 'y', '--epochs', '4', '--validation-split', '0', '--plot', alone)).code).toBe(0);
    const single = readSvg(await readFile(alone, 'utf8'));
    expect(legends(single)).toEqual([['training loss']]);
    expect(seriesLengths(charts(single)[0])).toEqual([4]);
  });

  it('with early stopping, one point per epoch run', async () => {
    const plot = join(dir, 'stopped.svg');
    const r = await run('train', iris, '--target', 'species', '--backend', 'js', '--lr', '0.05', '--epochs', '400', '--early-stopping', '3', '--plot', plot);
    expect(r.code).toBe(0);
    const ran = epochLines(r.stdout).length;
    expect(ran).toBeLessThan(400);
    for (const chart of charts(readSvg(await readFile(plot, 'utf8')))) expect(seriesLengths(chart)).toEqual([ran, ran]);
  });
});
