// The training loop. The training rows are copied into the arena once; each
// step gathers a shuffled batch into the staging slots and runs the whole
// train program (forward, loss, backward, update) in one backend call.

import { firstNonFinite } from './backend/finite.js';
import { type MatrixInput, nonFiniteError, toMatrix } from './data.js';
import type { Engine } from './engine.js';
import { DivergenceError, InputError, describe } from './errors.js';
import { evaluateRows } from './metrics.js';
import { readOptions } from './options.js';
import { Pace, now } from './pace.js';
import { Random } from './random.js';

export interface EpochLogs {
  loss: number;
  accuracy?: number;
  val_loss?: number;
  val_accuracy?: number;
  [metric: string]: number | undefined;
}

export interface Callbacks {
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  /** After each batch, with that batch's loss. */
  onBatchEnd?(batch: number, logs: { loss: number; size: number }): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs): void | Promise<void>;
  onTrainEnd?(history: History): void | Promise<void>;
}

export interface FitOptions {
  /** Passes over the training rows; default 1. */
  epochs?: number;
  /** Rows per gradient step; default 32. 1 is online (per-sample) learning. */
  batchSize?: number;
  /** Reshuffle the rows every epoch; default true. */
  shuffle?: boolean;
  /** Fraction of rows, taken from the end before shuffling, held out and evaluated after each epoch. */
  validationSplit?: number;
  /** Explicit validation rows instead of a split. */
  validationData?: [MatrixInput, unknown];
  /** Seed of the shuffle; default: derived from the model's seed and how many fits it has run. */
  seed?: number;
  callbacks?: Callbacks;
}

export interface History {
  /** Epoch numbers run (0-based); shorter than `epochs` when training was stopped. */
  epoch: number[];
  /** Per-epoch values of each metric: loss, accuracy, val_loss, val_accuracy, … */
  history: Record<string, number[]>;
}

interface ModelHandle {
  stopTraining: boolean;
  readonly seed: number;
}

const CALLBACKS = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;
const FIT_KEYS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'seed', 'callbacks'] as const;

interface Checked {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  validationSplit: number;
  validationData: [MatrixInput, unknown] | undefined;
  seed: number | undefined;
  callbacks: Callbacks;
}

/** Options checked before any work, so a rejected fit leaves the model untouched. */
function checkOptions(options: unknown): Checked {
  const o = readOptions(options, 'options', FIT_KEYS);
  const epochs = o.epochs ?? 1;
  if (typeof epochs !== 'number' || !Number.isSafeInteger(epochs) || epochs < 0) throw new InputError(`epochs: expected an integer ≥ 0, got ${describe(epochs)}`);
  const batchSize = o.batchSize ?? 32;
  // Any size is accepted: a batch larger than the data is the data.
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) throw new InputError(`batchSize: expected an integer ≥ 1, got ${describe(batchSize)}`);
  const split = o.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new InputError(`validationSplit: expected a number in [0, 1), got ${describe(split)}`);
  const data = o.validationData;
  if (data !== undefined && (!Array.isArray(data) || data.length !== 2)) throw new InputError(`validationData: expected [x, y], got ${describe(data)}`);
  if (split > 0 && data) throw new InputError('validationSplit: expected either validationSplit or validationData, got both');
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed))) throw new InputError(`seed: expected an integer, got ${describe(o.seed)}`);
  const shuffle = o.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new InputError(`shuffle: expected true or false, got ${describe(shuffle)}`);
  return { epochs, batchSize, shuffle, validationSplit: split, validationData: data as Checked['validationData'], seed: o.seed as number | undefined, callbacks: checkCallbacks(o.callbacks) };
}

/**
 * Callbacks by their own names; methods may come from a class, and other keys may hold
 * the callback's own state. A key that looks like a callback but is none is a typo.
 */
function checkCallbacks(value: unknown): Callbacks {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`callbacks: expected an object with methods among [${CALLBACKS.join(', ')}], got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (/^on[A-Z]/.test(key) && !(CALLBACKS as readonly string[]).includes(key)) throw new InputError(`callbacks: expected methods among [${CALLBACKS.join(', ')}], got unknown key ${describe(key)}`);
  }
  for (const name of CALLBACKS) {
    const fn = (value as Callbacks)[name];
    if (fn !== undefined && typeof fn !== 'function') throw new InputError(`callbacks.${name}: expected a function, got ${describe(fn)}`);
  }
  return value as Callbacks;
}

/** The error for a loss or weights that stopped being finite. */
function diverged(engine: Engine, epoch: number, what: string, where = ''): DivergenceError {
  const detail = `${what} in epoch ${epoch + 1}${where}`;
  return new DivergenceError(`fit: training diverged: ${detail}; lower the learning rate (it is ${engine.optimizer.lr})`, epoch, detail);
}

/** The error for a step the guard refused in the call that began at `epoch`; the model is as before that step. */
function refused(engine: Engine, epoch: number, batchSize: number): DivergenceError | null {
  const step = engine.refusedStep;
  if (!step) return null;
  const e = epoch + step.epochInCall;
  const batch = Math.floor(step.row / batchSize) + 1;
  return diverged(engine, e, 'the loss or the gradients became non-finite', `, batch ${batch} (the model keeps its weights from before that step)`);
}

const fitCounts = new WeakMap<object, number>();

export async function fit(model: ModelHandle, engine: Engine, xIn: MatrixInput, yIn: unknown, options: FitOptions): Promise<History> {
  const opts = checkOptions(options);
  const p = engine.inputSize, q = engine.outputSize;
  const x = toMatrix(xIn, 'x', p, { deferFinite: true });
  const n = x.shape[0];
  const t = engine.loss.encodeTargets(yIn, n, q, 'y');
  const nVal = Math.floor(n * opts.validationSplit);
  const nTrain = n - nVal;
  if (opts.validationSplit > 0 && (nVal === 0 || nTrain === 0)) {
    throw new InputError(`validationSplit: expected a split leaving ≥ 1 row on each side, got ${opts.validationSplit} of ${n} rows`);
  }
  let val: { x: Float32Array; t: Float32Array; rows: number } | null = null;
  if (nVal > 0) {
    const bad = firstNonFinite(x.data, nTrain * p);
    if (bad >= 0) throw nonFiniteError(x, 'x', bad);
    val = { x: x.data.subarray(nTrain * p), t: t.subarray(nTrain * q), rows: nVal };
  }
  if (opts.validationData) {
    const [vx, vy] = opts.validationData;
    const m = toMatrix(vx, 'validationData[0]', p);
    val = { x: m.data, t: engine.loss.encodeTargets(vy, m.shape[0], q, 'validationData[1]'), rows: m.shape[0] };
  }
  const batchSize = Math.min(opts.batchSize, nTrain);

  // The training rows go into the arena once and are checked there. Planning for a
  // larger batch, if needed, moves no weights; memory the heap cannot hold is refused
  // before anything is written.
  const plan = engine.plan(batchSize, 'batchSize');
  const data = engine.makeResident(x.data.subarray(0, nTrain * p), t.subarray(0, nTrain * q), nTrain, 'x');
  const bad = engine.kernels.firstNonFinite(data.x, nTrain * p);
  if (bad >= 0) {
    engine.releaseResident(data.mark);
    throw nonFiniteError(x, 'x', bad);
  }

  // Everything is valid: from here on the model changes.
  const fits = fitCounts.get(model) ?? 0;
  fitCounts.set(model, fits + 1);
  const rng = new Random(opts.seed ?? model.seed * 1000003 + fits + 1);
  const cb = opts.callbacks;
  const history: History = { epoch: [], history: {} };
  model.stopTraining = false;
  engine.seedShuffle(rng);
  engine.clearStatus();
  const log = data.log;
  const pace = new Pace();
  const perEpochWork = Boolean(cb.onEpochBegin || cb.onEpochEnd || val);
  const shuffleState = opts.shuffle ? engine.shuffleState : 0;

  const losses: number[] = (history.history.loss = []);
  const accuracies: number[] | null = engine.tracksAccuracy ? (history.history.accuracy = []) : null;
  /** Append one epoch's training loss and accuracy, from its summed loss and correct count. */
  const record = (e: number, lossSum: number, correct: number): void => {
    losses.push(engine.loss.reduce(lossSum, nTrain, q));
    accuracies?.push(correct / nTrain);
    history.epoch.push(e);
  };
  let epoch = 0;

  try {
    if (cb.onTrainBegin) await cb.onTrainBegin();
    while (epoch < opts.epochs && !model.stopTraining) {
      if (!perEpochWork && !cb.onBatchEnd && pace.epochsPerSlice > 0) {
        // Epochs shorter than a slice, and nothing to run between them: many per call.
        const k = Math.min(opts.epochs - epoch, pace.epochsPerSlice);
        const started = now();
        engine.writeHyper();
        engine.trainEpochs(plan, data, nTrain, batchSize, k, shuffleState);
        const refusal = refused(engine, epoch, batchSize);
        if (refusal) throw refusal;
        pace.measuredEpochs(now() - started, k);
        const f64 = engine.kernels.heap.f64;
        for (let e = 0; e < k; e++) record(epoch + e, f64[(log.loss >> 3) + e], f64[(log.correct >> 3) + e]);
        epoch += k;
      } else {
        if (cb.onEpochBegin) await cb.onEpochBegin(epoch);
        const started = now();
        if (shuffleState) engine.kernels.shuffle(data.order, nTrain, shuffleState);
        engine.resetAccumulators();
        for (let seen = 0, batch = 0; seen < nTrain && !model.stopTraining; ) {
          // A per-batch callback needs every batch back in JS; otherwise a slice of batches per call.
          const count = cb.onBatchEnd ? 1 : pace.batchesPerSlice;
          const end = Math.min(nTrain, seen + count * batchSize);
          const batches = Math.ceil((end - seen) / batchSize);
          const before = engine.summedLoss;
          const sliceStarted = now();
          engine.writeHyper();
          engine.trainRows(plan, data, seen, end, batchSize);
          const refusal = refused(engine, epoch, batchSize);
          if (refusal) throw refusal;
          pace.measuredBatches(now() - sliceStarted, batches);
          if (cb.onBatchEnd) await cb.onBatchEnd(batch, { loss: engine.loss.reduce(engine.summedLoss - before, end - seen, q), size: end - seen });
          batch += batches;
          seen = end;
          if (pace.due()) await pace.yield();
        }
        pace.measuredEpochs(now() - started, 1);
        if (!model.stopTraining) {
          record(epoch, engine.summedLoss, engine.correctCount);
          const logs: EpochLogs = { loss: losses[losses.length - 1] };
          if (accuracies) logs.accuracy = accuracies[accuracies.length - 1];
          if (val) {
            for (const [k, v] of Object.entries(evaluateRows(engine, plan, val.x, val.t, val.rows))) {
              logs[`val_${k}`] = v;
              (history.history[`val_${k}`] ??= []).push(v);
            }
          }
          if (cb.onEpochEnd) await cb.onEpochEnd(epoch, logs);
        }
        epoch++;
      }
      if (pace.due()) await pace.yield();
    }
    // The last step's update comes after its loss: the weights say whether it diverged.
    if (engine.firstNonFiniteParam() >= 0) throw diverged(engine, Math.max(0, epoch - 1), 'the weights became non-finite');
    if (cb.onTrainEnd) await cb.onTrainEnd(history);
  } finally {
    engine.releaseResident(data.mark);
  }
  return history;
}

