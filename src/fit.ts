// The training loop. The training rows are copied into the arena once; each
// step gathers a shuffled batch into the staging slots and runs the whole
// train program (forward, loss, backward, update) in one backend call.

import { firstNonFinite } from './backend/finite.js';
import { type MatrixInput, nonFiniteError, toMatrix } from './data.js';
import type { Engine } from './engine.js';
import { SCHEDULE_STEPS, clearSchedule, writeSchedule } from './schedule-table.js';
import { isBounded } from './schedules.js';
import { type EpochLogs, type History, any, call } from './callbacks.js';
import { DivergenceError, InputError } from './errors.js';
import { type FitOptions, checkOptions } from './fit-options.js';
import type { Sequential } from './model.js';
import { evaluateRows } from './metrics.js';
import { Pace, now } from './pace.js';
import { Random } from './random.js';

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


export async function fit(model: Sequential, engine: Engine, xIn: MatrixInput, yIn: unknown, options: FitOptions): Promise<History> {
  const began = now();
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

  // A schedule of your own has its first rates checked before anything changes (a
  // built-in's are within bounds by construction, and filling twice costs W3 its speed).
  const stepsPerEpoch = Math.ceil(nTrain / batchSize);
  const schedule = engine.optimizer.schedule;
  if (schedule && !isBounded(schedule)) {
    try {
      writeSchedule(engine, data, Math.min(SCHEDULE_STEPS, stepsPerEpoch));
    } catch (e) {
      engine.releaseResident(data.mark);
      throw e;
    }
  }

  // Everything is valid: from here on the model changes.
  const fits = engine.fits++;
  const rng = new Random(opts.seed ?? model.seed * 1000003 + fits + 1);
  const cb = opts.callbacks;
  const history: History = { epoch: [], history: {} };
  model.stopTraining = false;
  engine.seedShuffle(rng);
  engine.clearStatus();
  const log = data.log;
  const pace = new Pace(began);
  const perEpochWork = any(cb, 'onEpochBegin') || any(cb, 'onEpochEnd') || val !== null;
  const perBatch = any(cb, 'onBatchEnd');
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
    await call(cb, 'onTrainBegin', model);
    while (epoch < opts.epochs && !model.stopTraining) {
      const fitsTable = !engine.optimizer.schedule || stepsPerEpoch <= SCHEDULE_STEPS;
      if (!perEpochWork && !perBatch && pace.epochsPerSlice > 0 && fitsTable) {
        // Epochs shorter than a slice, and nothing to run between them: many per call.
        // With a schedule, as many epochs as its table holds the steps of.
        const k = Math.min(opts.epochs - epoch, pace.epochsPerSlice, engine.optimizer.schedule ? Math.max(1, Math.floor(SCHEDULE_STEPS / stepsPerEpoch)) : Infinity);
        const started = now();
        engine.writeHyper();
        writeSchedule(engine, data, Math.min(SCHEDULE_STEPS, k * stepsPerEpoch));
        engine.trainEpochs(plan, data, nTrain, batchSize, k, shuffleState);
        const refusal = refused(engine, epoch, batchSize);
        if (refusal) throw refusal;
        pace.measuredEpochs(now() - started, k);
        const f64 = engine.kernels.heap.f64;
        for (let e = 0; e < k; e++) record(epoch + e, f64[(log.loss >> 3) + e], f64[(log.correct >> 3) + e]);
        epoch += k;
      } else {
        await call(cb, 'onEpochBegin', epoch, model);
        const started = now();
        if (shuffleState) engine.kernels.shuffle(data.order, nTrain, shuffleState);
        engine.resetAccumulators();
        for (let seen = 0, batch = 0; seen < nTrain && !model.stopTraining; ) {
          // A per-batch callback needs every batch back in JS; otherwise a slice of batches per call.
          const count = perBatch ? 1 : Math.min(pace.batchesPerSlice, SCHEDULE_STEPS);
          const end = Math.min(nTrain, seen + count * batchSize);
          const batches = Math.ceil((end - seen) / batchSize);
          const before = engine.summedLoss;
          const sliceStarted = now();
          engine.writeHyper();
          writeSchedule(engine, data, batches);
          engine.trainRows(plan, data, seen, end, batchSize);
          const refusal = refused(engine, epoch, batchSize);
          if (refusal) throw refusal;
          pace.measuredBatches(now() - sliceStarted, batches);
          if (perBatch) await call(cb, 'onBatchEnd', batch, { loss: engine.loss.reduce(engine.summedLoss - before, end - seen, q), size: end - seen }, model);
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
          await call(cb, 'onEpochEnd', epoch, logs, model);
          // What callbacks logged (a learning rate, gradient norms) joins the history.
          for (const [k, v] of Object.entries(logs)) {
            if (k === 'loss' || k === 'accuracy' || k.startsWith('val_') || typeof v !== 'number') continue;
            (history.history[k] ??= []).push(v);
          }
        }
        epoch++;
      }
      if (pace.due()) await pace.yield();
    }
    // The last step's update comes after its loss: the weights say whether it diverged.
    if (engine.firstNonFiniteParam() >= 0) throw diverged(engine, Math.max(0, epoch - 1), 'the weights became non-finite');
    await call(cb, 'onTrainEnd', history, model);
  } finally {
    clearSchedule(engine);
    engine.releaseResident(data.mark);
  }
  return history;
}

