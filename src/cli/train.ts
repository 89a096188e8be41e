// simdnet train: read a CSV, hold out a test part (and validation rows from the
// training part), train an MLP with a progress display and early stopping on the
// validation loss, report on the held-out rows, and optionally save the model and
// a chart of the training.
// Ctrl-C stops training after the current batch and exits without writing a
// model; a save goes through a temporary file and a rename, so a model file on
// disk is always whole.

import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Sequential } from '../model.js';
import { saveModelFile } from '../node/files.js';
import { parseCommand } from './args.js';
import { DataError, Interrupted, UsageError, fileError } from './errors.js';
import { TRAIN_HELP } from './help.js';
import { METADATA_KIND, METADATA_VERSION, type CliMetadata } from './model-file.js';
import { writePlot } from './plot.js';
import { type Report, classificationReport, fmt, formatRate, formatReport, regressionReport } from './report.js';
import { TRAIN_SPEC, defaultLr, trainOptions } from './train-options.js';
import { type Held, type Prepared, holdOutValidation, prepareTraining } from './train-data.js';
import { type Fitted, type Settled, buildModel, fitWithProgress, learningRate } from './train-run.js';

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
    if (given.out !== null) await checkWritable(given.out, 'model');
    if (given.plot !== null) await checkWritable(given.plot, 'plot');
    const data = await prepareTraining(given);
    const o: Settled = { ...given, lr: given.lr ?? defaultLr(given.optimizer, data.task) };
    if (o.minAccuracy !== null && data.task !== 'classification') throw new UsageError('--min-accuracy: expected a classification task, got regression');
    const rows = holdOutValidation(data, o.validationSplit, o.seed, o.validationGiven);
    model = await buildModel(o, data, rows.fit.y.length);
    printHeader(o, data, rows, model);
    if (interrupted) throw new Interrupted('interrupted before training; no model written');
    const fitted = await fitWithProgress(model, o, data, rows);
    if (interrupted) throw new Interrupted('interrupted during training; no model written');
    if (fitted.diverged) throw new DataError(`training diverged: ${fitted.diverged}; try a smaller --lr (it was ${o.lr}); no model written`);
    const { seconds } = fitted;
    const held = data.split.test.length > 0;
    const report = reportOn(model, data, held ? data.test : data.train);
    const out = process.stdout;
    out.write('\n' + formatReport(report, held ? 'test' : 'training (no test split)').join('\n') + '\n');
    if (rows.validation) out.write(validationSummary(o, data, rows, fitted) + '\n');
    const epochs = fitted.history?.epoch.length ?? o.epochs;
    const fitRows = rows.fit.y.length;
    const info = model.backendInfo();
    out.write(`training: ${epochs} epochs × ${fitRows} rows in ${seconds.toFixed(2)} s, ${formatRate(fitRows * epochs, seconds)} samples/s on the ${info.backend} backend (${info.reason})\n`);
    if (o.plot !== null && fitted.history) {
      const title = `simdnet train ${basename(o.data)} --target ${o.target}`;
      await writePlot(o.plot, fitted.history, title, data.task === 'classification', data.task === 'classification' ? 'cross-entropy' : 'MSE (standardized target)');
      out.write(`plot saved to ${o.plot}\n`);
    }
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

/** Fail before training, not after it, when the model (or the plot) could not be saved. */
async function checkWritable(path: string, what: 'model' | 'plot'): Promise<void> {
  try {
    await access(dirname(path), constants.W_OK);
  } catch (e) {
    throw fileError(`write ${what} to`, path, e);
  }
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw new DataError(`cannot write ${what} to ${JSON.stringify(path)}: is a directory`);
}

function printHeader(o: Settled, data: Prepared, rows: Held, model: Sequential): void {
  const classes = data.classes;
  const what = classes ? `classification into ${classes.length} classes (${data.taskReason}): ${summarize(classes)}` : `regression (${data.taskReason})`;
  const split = data.split.test.length
    ? `${data.split.train.length} training rows, ${data.split.test.length} test rows (${classes ? 'stratified' : 'shuffled'}, --test-split ${o.testSplit}, --seed ${o.seed})`
    : `all ${data.rows} rows train (--test-split 0)`;
  const extras = [o.batchNorm ? 'batch norm' : '', o.dropout > 0 ? `dropout ${o.dropout}` : ''].filter(Boolean).join(', ');
  const hidden = o.hidden.map((h) => `${h} ${o.activation}${extras ? ` (${extras})` : ''}`);
  const layers = [String(data.features.length), ...hidden, classes ? `${classes.length} softmax` : '1 linear'];
  const decay = o.weightDecay > 0 ? `, weight decay ${o.weightDecay}` : '';
  const fitRows = rows.fit.y.length;
  const info = model.backendInfo();
  process.stdout.write(
    [
      `data: ${o.data}: ${data.rows} rows, ${data.features.length} features, target ${JSON.stringify(o.target)}`,
      `task: ${what}`,
      `split: ${split}; features standardized with the training rows' mean and std`,
      `validation: ${validationPlan(o, data, rows)}`,
      `model: ${layers.join(' → ')}; ${classes ? 'cross-entropy' : 'MSE on the standardized target'}; ${o.optimizer} ${learningRate(o, fitRows).words}${decay}; batch ${o.batchSize}; ${o.earlyStopping > 0 && rows.validation ? 'up to ' : ''}${o.epochs} epochs`,
      `backend: ${info.backend} (${info.reason})`,
      '',
    ].join('\n'),
  );
}

/** Which rows validate, and whether training stops early on them. */
function validationPlan(o: Settled, data: Prepared, rows: Held): string {
  if (rows.skipped) return `none (${rows.skipped}); no early stopping`;
  if (!rows.validation) return 'none (--validation-split 0); no early stopping';
  const n = rows.validation.y.length;
  const how = `${n} of the ${data.split.train.length} training rows (${data.classes ? 'stratified' : 'shuffled'}, --validation-split ${o.validationSplit}), the model trains on the other ${rows.fit.y.length}`;
  const stop = o.earlyStopping > 0
    ? `early stopping after ${o.earlyStopping} epochs without a lower validation loss, keeping the best epoch's weights`
    : 'no early stopping (--early-stopping off)';
  return `${how}; ${stop}`;
}

/** After training: the validation loss (and accuracy) of the weights kept, and where training stopped. */
function validationSummary(o: Settled, data: Prepared, rows: Held, fitted: Fitted): string {
  const h = fitted.history;
  const n = rows.validation!.y.length;
  if (!h || h.epoch.length === 0) return `validation rows: ${n}`;
  const stopper = fitted.stopper;
  // With early stopping the best epoch's weights are kept; without, the last epoch's.
  const at = stopper?.bestEpoch != null ? h.epoch.indexOf(stopper.bestEpoch) : h.epoch.length - 1;
  const epoch = h.epoch[at] + 1;
  const parts = [`val loss ${h.history.val_loss[at].toFixed(4)}`];
  if (data.targetNormalization) parts.push(`MSE ${fmt(h.history.val_loss[at] * data.targetNormalization.std ** 2)} in ${JSON.stringify(o.target)}'s units`);
  if (h.history.val_accuracy) parts.push(`val accuracy ${h.history.val_accuracy[at].toFixed(4)}`);
  const how = !stopper
    ? `last epoch ${epoch} (no early stopping)`
    : stopper.stoppedEpoch !== null
      ? `best epoch ${epoch}, its weights kept (stopped after epoch ${stopper.stoppedEpoch + 1} of ${o.epochs}: ${o.earlyStopping} epochs without a lower validation loss)`
      : `best epoch ${epoch} of ${o.epochs}, its weights kept (no early stop)`;
  return `validation rows: ${n}; ${how}: ${parts.join(', ')}`;
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
  if (report.task === 'regression') return `${part} R² ${report.r2.toFixed(4)}, MSE ${fmt(report.mse)}`;
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
