// What Sequential.create checks before it takes any memory: the layers, bound to
// their widths, against the limits; the options by their own keys; the loss against
// the output layer. The model-file reader compares a file's parameters with the
// result before anything is built.

import type { Precision } from './backend/heap.js';
import { InputError, describe } from './errors.js';
import { Layer } from './layers/layer.js';
import { MAX_LAYERS, MAX_PARAMETERS } from './limits.js';
import { Loss } from './losses.js';
import type { ModelOptions } from './model.js';
import { type Optimizer, createOptimizer } from './optimizers.js';
import { readOptions } from './options.js';
import { Registry } from './registry.js';

const MODEL_KEYS = ['loss', 'optimizer', 'seed', 'backend', 'precision', 'threads'] as const;
const PRECISIONS = new Registry<Precision>('precision', [
  ['float32', 'float32'],
  ['float64', 'float64'],
]);

/** The checked layers and options a model is built from. */
export interface PreparedModel {
  readonly layers: readonly Layer[];
  readonly loss: Loss;
  readonly optimizer: Optimizer;
  readonly absorbed: boolean;
  readonly seed: number;
  readonly backend: unknown;
  readonly precision: Precision;
  readonly threads: unknown;
}

export function prepareModel(layers: readonly Layer[], options: ModelOptions): PreparedModel {
  if (!Array.isArray(layers) || layers.length === 0 || layers.length > MAX_LAYERS) {
    throw new InputError(`layers: expected an array of 1 to ${MAX_LAYERS.toLocaleString('en-US')} layers, got ${describe(layers)}`);
  }
  // Loops over indices, not forEach: forEach skips the holes of a sparse array.
  for (let i = 0; i < layers.length; i++) {
    const layer: unknown = layers[i];
    if (!(layer instanceof Layer)) throw new InputError(`layers[${i}]: expected a layer (Dense, Activation, Maxout), got ${describe(layer)}`);
    if (layer.built) throw new InputError(`layers[${i}]: expected a new layer, got one that already belongs to a model`);
  }
  // Layers inside residual blocks serve once too, and never also at the top.
  const all = layers.flatMap((layer) => [layer, ...layer.children()]);
  if (new Set(all).size !== all.length) throw new InputError('layers: expected each layer object once, got the same layer twice');
  for (const layer of all) if (layer.built) throw new InputError(`layers: expected new layers, got a ${layer.constructor.name} inside a block that already belongs to a model`);
  if (typeof options !== 'object' || options === null) throw new InputError(`options: expected { loss, optimizer?, seed?, backend?, precision?, threads? }, got ${describe(options)}`);
  const o = readOptions(options, 'options', MODEL_KEYS);
  const seed = o.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new InputError(`seed: expected an integer, got ${describe(seed)}`);
  const precision = PRECISIONS.get(o.precision ?? 'float32', 'precision');
  const loss = new Loss(o.loss);
  const optimizer = createOptimizer(o.optimizer);
  let width = layers[0].declaredInputSize;
  if (width === null) throw new InputError(`layers[0]: expected a layer that declares its input width (Dense or Maxout), got ${layers[0].constructor.name}`);
  let parameters = 0;
  layers.forEach((layer, i) => {
    layer.bind(width as number, `layers[${i}]`);
    width = layer.outputSize;
    // The model's file holds its state (running statistics) beside the parameters.
    const sizes = [...layer.paramSpecs(), ...layer.stateSpecs().filter((s: { kind: string }) => s.kind === 'model')];
    parameters += sizes.reduce((n: number, spec: { length: number }) => n + spec.length, 0);
  });
  if (parameters > MAX_PARAMETERS) {
    throw new InputError(`layers: expected at most ${MAX_PARAMETERS.toLocaleString('en-US')} parameters and state values in all (see the README's Limits), got ${parameters.toLocaleString('en-US')}`);
  }
  const last = layers[layers.length - 1];
  const absorbed = loss.absorbs(last.activation, last.outputSize);
  return { layers, loss, optimizer, absorbed, seed, backend: o.backend ?? 'auto', precision, threads: o.threads ?? 1 };
}

