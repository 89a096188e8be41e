// Building the network `train` asked for, and fitting it with the progress
// display, the validation rows and early stopping. fit stops on a loss or weights
// that turn NaN or infinite: a model of NaN weights is not worth the wait or the file.

import { type EarlyStopping, type History, earlyStopping } from '../callbacks.js';
import { DivergenceError, InputError } from '../errors.js';
import { Activation } from '../layers/activation.js';
import { BatchNorm } from '../layers/batchnorm.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { defaultInitializer } from '../layers/init.js';
import type { Layer } from '../layers/layer.js';
import { Sequential } from '../model.js';
import { type Schedule, cosineDecay, exponentialDecay, stepDecay, warmup } from '../schedules.js';
import { UsageError } from './errors.js';
import { createProgress } from './progress.js';
import type { Held, Prepared } from './train-data.js';
import type { LrSchedule, TrainOptions } from './train-options.js';

/** The options with the learning rate settled (--lr or the optimizer's default for the task). */
export type Settled = TrainOptions & { lr: number };

/** The hidden layers: Dense, then batch norm and the activation when asked, then dropout when asked. */
export function hiddenLayers(o: Settled, inputs: number): Layer[] {
  const layers: Layer[] = [];
  let width = inputs;
  for (const units of o.hidden) {
    if (o.batchNorm) {
      // Normalize the pre-activations: the Dense is linear, with the activation's initializer.
      layers.push(new Dense(width, units, { activation: 'linear', init: defaultInitializer(o.activation) }), new BatchNorm(), new Activation(o.activation as never));
    } else {
      layers.push(new Dense(width, units, { activation: o.activation as never }));
    }
    if (o.dropout > 0) layers.push(new Dropout(o.dropout));
    width = units;
  }
  return layers;
}

/** Steps (batches) per epoch and in all, from the rows fit trains on. */
function stepsOf(o: Settled, fitRows: number): { perEpoch: number; total: number } {
  const perEpoch = Math.ceil(fitRows / Math.min(o.batchSize, fitRows));
  return { perEpoch, total: perEpoch * o.epochs };
}

/**
 * The learning rate over training, from --epochs and the batches per epoch (T steps in all),
 * and the same in words for the header: step halves it every ⌈epochs/4⌉ epochs; exponential
 * decays it to lr/100 at step T; cosine from lr to 0 at step T; warmup-cosine rises linearly
 * over the first 5 % of the steps (at least one epoch's worth, at most half), then follows the
 * cosine to 0.
 */
export function learningRate(o: Settled, fitRows: number): { lr: Schedule | number; words: string } {
  const { perEpoch, total } = stepsOf(o, fitRows);
  const kind: LrSchedule = o.lrSchedule;
  switch (kind) {
    case 'constant':
      return { lr: o.lr, words: `lr ${o.lr}` };
    case 'step': {
      const epochs = Math.ceil(o.epochs / 4);
      return { lr: stepDecay({ lr: o.lr, every: perEpoch * epochs, factor: 0.5 }), words: `lr ${o.lr} halved every ${epochs} epochs` };
    }
    case 'exponential':
      return { lr: exponentialDecay({ lr: o.lr, rate: 0.01, steps: total }), words: `lr ${o.lr} decaying exponentially to ${Number((o.lr / 100).toPrecision(6))} over ${total} steps` };
    case 'cosine':
      return { lr: cosineDecay({ lr: o.lr, steps: total }), words: `lr ${o.lr} on a cosine to 0 over ${total} steps` };
    case 'warmup-cosine': {
      const ramp = Math.max(1, Math.min(Math.max(perEpoch, Math.round(total * 0.05)), Math.floor(total / 2)));
      return {
        lr: warmup({ steps: ramp, then: cosineDecay({ lr: o.lr, steps: Math.max(1, total - ramp) }) }),
        words: `lr warming up to ${o.lr} over ${ramp} steps, then a cosine to 0 at step ${total}`,
      };
    }
  }
}

export async function buildModel(o: Settled, data: Prepared, fitRows: number): Promise<Sequential> {
  const classification = data.task === 'classification';
  try {
    const layers = hiddenLayers(o, data.features.length);
    const last = o.hidden.length ? o.hidden[o.hidden.length - 1] : data.features.length;
    const outputs = classification ? data.classes!.length : 1;
    layers.push(new Dense(last, outputs, { activation: classification ? 'softmax' : 'linear', init: 'zeros' }));
    const { lr } = learningRate(o, fitRows);
    return await Sequential.create(layers, {
      loss: classification ? 'crossEntropy' : 'mse',
      optimizer: { type: o.optimizer, lr, weightDecay: o.weightDecay } as never,
      seed: o.seed,
      backend: o.backend,
    });
  } catch (e) {
    // The library names what was wrong (an activation, a width); here it came from an option.
    if (e instanceof InputError) throw new UsageError(`bad model option: ${e.message}`);
    throw e;
  }
}

export interface Fitted {
  seconds: number;
  /** Where the loss or the weights stopped being finite, if they did. */
  diverged: string | null;
  history: History | null;
  /** The early-stopping callback, when it ran: its best epoch and where it stopped. */
  stopper: EarlyStopping | null;
}

/** Train on the fit rows, evaluating the validation rows after every epoch when there are some. */
export async function fitWithProgress(model: Sequential, o: Settled, data: Prepared, held: Held): Promise<Fitted> {
  const p = data.features.length;
  const rows = held.fit.y.length;
  const progress = createProgress({ epochs: o.epochs, rows, batchSize: o.batchSize, stream: process.stdout });
  const stopper = held.validation && o.earlyStopping > 0 ? earlyStopping({ monitor: 'val_loss', patience: o.earlyStopping, restoreBestWeights: true }) : null;
  let diverged: string | null = null;
  let history: History | null = null;
  const started = performance.now();
  try {
    history = await model.fit({ data: held.fit.x, shape: [rows, p] }, held.fit.y, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      validationData: held.validation ? [{ data: held.validation.x, shape: [held.validation.y.length, p] }, held.validation.y] : undefined,
      callbacks: stopper ? [stopper, progress.callbacks] : [progress.callbacks],
    });
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    diverged = e.detail;
  } finally {
    progress.stop();
  }
  return { seconds: (performance.now() - started) / 1000, diverged, history, stopper };
}
