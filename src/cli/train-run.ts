// Building the network `train` asked for, and fitting it with the progress
// display. fit stops on a loss or weights that turn NaN or infinite: a model of
// NaN weights is not worth the wait or the file.

import { DivergenceError, InputError } from '../errors.js';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../model.js';
import { UsageError } from './errors.js';
import { createProgress } from './progress.js';
import type { Prepared } from './train-data.js';
import type { TrainOptions } from './train-options.js';

/** The options with the task's default learning rate filled in. */
export type Settled = TrainOptions & { lr: number };

export async function buildModel(o: Settled, data: Prepared): Promise<Sequential> {
  const classification = data.task === 'classification';
  const widths = [data.features.length, ...o.hidden];
  try {
    const layers = o.hidden.map((units, i) => new Dense(widths[i], units, { activation: o.activation as never }));
    const outputs = classification ? data.classes!.length : 1;
    layers.push(new Dense(widths[widths.length - 1], outputs, { activation: classification ? 'softmax' : 'linear' }));
    return await Sequential.create(layers, {
      loss: classification ? 'crossEntropy' : 'mse',
      optimizer: { type: o.optimizer, lr: o.lr } as never,
      seed: o.seed,
      backend: o.backend,
    });
  } catch (e) {
    // The library names what was wrong (an activation, an optimizer); here it came from an option.
    if (e instanceof InputError) throw new UsageError(`bad model option: ${e.message}`);
    throw e;
  }
}

/** Train on the training part; `diverged` says where the loss or the weights stopped being finite, if they did. */
export async function fitWithProgress(model: Sequential, o: Settled, data: Prepared): Promise<{ seconds: number; diverged: string | null }> {
  const rows = data.split.train.length;
  const progress = createProgress({ epochs: o.epochs, rows, batchSize: o.batchSize, stream: process.stdout });
  let diverged: string | null = null;
  const started = performance.now();
  try {
    await model.fit({ data: data.train.x, shape: [rows, data.features.length] }, data.train.y, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      callbacks: progress.callbacks,
    });
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    diverged = e.detail;
  } finally {
    progress.stop();
  }
  return { seconds: (performance.now() - started) / 1000, diverged };
}
