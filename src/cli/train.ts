// simdnet train: read a CSV, hold out a test part, train an MLP with a progress
// display, report on the held-out rows, and optionally save the model.
// Ctrl-C stops training after the current batch and exits without writing a
// model; a save goes through a temporary file and a rename, so a model file on
// disk is always whole.

import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname } from 'node:path';
import type { Sequential } from '../model.js';
import { saveModelFile } from '../node/files.js';
import { parseCommand } from './args.js';
import { DataError, Interrupted, UsageError, fileError } from './errors.js';
import { TRAIN_HELP } from './help.js';
import { METADATA_KIND, METADATA_VERSION, type CliMetadata } from './model-file.js';
import { type Report, classificationReport, formatRate, formatReport, regressionReport } from './report.js';
import { TRAIN_DEFAULTS, TRAIN_SPEC, trainOptions } from './train-options.js';
import { type Prepared, prepareTraining } from './train-data.js';
import { type Settled, buildModel, fitWithProgress } from './train-run.js';

export async function train(args: string[]): Promise<void> {
  const parsed = parseCommand('train', args, TRAIN_SPEC, ['<data.csv>']);
  if (parsed.help) return void process.stdout.write(TRAIN_HELP);
  const given = trainOptions(parsed.values, parsed.positionals);
  let interrupted = false;
  let model: Sequential | null = null;
  const onSigint = () => {
    interrupted = true;
    if (model) model.stopTraining = true;
  };
  process.on('SIGINT', onSigint);
  try {
    if (given.out !== null) await checkWritable(given.out);
    const data = await prepareTraining(given);
    const o = { ...given, lr: given.lr ?? TRAIN_DEFAULTS.lr[data.task] };
    if (o.minAccuracy !== null && data.task !== 'classification') throw new UsageError('--min-accuracy: expected a classification task, got regression');
    model = await buildModel(o, data);
    printHeader(o, data, model);
    if (interrupted) throw new Interrupted('interrupted before training; no model written');
    const { seconds, diverged } = await fitWithProgress(model, o, data);
    if (interrupted) throw new Interrupted('interrupted during training; no model written');
    if (diverged) throw new DataError(`training diverged: ${diverged}; try a smaller --lr (it was ${o.lr}); no model written`);
    const held = data.split.test.length > 0;
    const report = reportOn(model, data, held ? data.test : data.train);
    const out = process.stdout;
    out.write('\n' + formatReport(report, held ? 'test' : 'training (no test split)').join('\n') + '\n');
    const samples = data.split.train.length * o.epochs;
    const info = model.backendInfo();
    out.write(`training: ${o.epochs} epochs × ${data.split.train.length} rows in ${seconds.toFixed(2)} s, ${formatRate(samples, seconds)} samples/s on the ${info.backend} backend (${info.reason})\n`);
    if (o.out !== null) {
      model.metadata = metadataOf(o, data) as unknown as Record<string, unknown>;
      try {
        await saveModelFile(model, o.out);
      } catch (e) {
        throw fileError('write model', o.out, e);
      }
      out.write(`model saved to ${o.out}\n`);
    }
    out.write(verdict(report, held, o.minAccuracy) + '\n');
    if (report.task === 'classification' && o.minAccuracy !== null && report.accuracy < o.minAccuracy) {
      throw new DataError(`accuracy ${report.accuracy.toFixed(4)} is below --min-accuracy ${o.minAccuracy}`);
    }
  } finally {
    process.off('SIGINT', onSigint);
    model?.dispose();
  }
}

/** Fail before training, not after it, when the model could not be saved. */
async function checkWritable(path: string): Promise<void> {
  try {
    await access(dirname(path), constants.W_OK);
  } catch (e) {
    throw fileError('write model to', path, e);
  }
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw new DataError(`cannot write model to ${JSON.stringify(path)}: is a directory`);
}

function printHeader(o: Settled, data: Prepared, model: Sequential): void {
  const classes = data.classes;
  const what = classes ? `classification into ${classes.length} classes (${data.taskReason}): ${summarize(classes)}` : `regression (${data.taskReason})`;
  const split = data.split.test.length
    ? `${data.split.train.length} training rows, ${data.split.test.length} test rows (${classes ? 'stratified' : 'shuffled'}, --test-split ${o.testSplit}, --seed ${o.seed})`
    : `all ${data.rows} rows train (--test-split 0)`;
  const layers = [String(data.features.length), ...o.hidden.map((h) => `${h} ${o.activation}`), classes ? `${classes.length} softmax` : '1 linear'];
  const info = model.backendInfo();
  process.stdout.write(
    [
      `data: ${o.data}: ${data.rows} rows, ${data.features.length} features, target ${JSON.stringify(o.target)}`,
      `task: ${what}`,
      `split: ${split}; features standardized with the training rows' mean and std`,
      `model: ${layers.join(' → ')}; ${classes ? 'cross-entropy' : 'MSE on the standardized target'}; ${o.optimizer} lr ${o.lr}; batch ${o.batchSize}; ${o.epochs} epochs`,
      `backend: ${info.backend} (${info.reason})`,
      '',
    ].join('\n'),
  );
}

function summarize(names: readonly string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 10).join(', ')}, …, ${names[names.length - 1]}`;
}

function reportOn(model: Sequential, data: Prepared, part: Prepared['train']): Report {
  if (data.classes) return classificationReport(model, part.x, part.y as Int32Array, data.classes);
  const out = model.predict({ data: part.x, shape: [part.y.length, data.features.length] }).data;
  const { mean, std } = data.targetNormalization!;
  return regressionReport(Float64Array.from(out, (v) => v * std + mean), part.raw!);
}

function verdict(report: Report, held: boolean, min: number | null): string {
  const part = held ? 'test' : 'training';
  if (report.task === 'regression') return `${part} R² ${report.r2.toFixed(4)}, MSE ${report.mse.toPrecision(4)}`;
  const line = `${part} accuracy ${report.accuracy.toFixed(4)}`;
  if (min === null) return line;
  return report.accuracy >= min ? `${line} (≥ ${min}: passed)` : `${line} (< ${min}: FAILED)`;
}

function metadataOf(o: Settled, data: Prepared): CliMetadata {
  const meta: CliMetadata = { kind: METADATA_KIND, version: METADATA_VERSION, task: data.task, target: o.target, features: data.features, normalization: data.normalization };
  if (data.classes) meta.classes = data.classes;
  if (data.targetNormalization) meta.targetNormalization = data.targetNormalization;
  return meta;
}
