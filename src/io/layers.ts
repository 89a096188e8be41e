// Layers rebuilt from the configs a saved model records. Each type lists the
// fields its config may have; the layer's own constructor checks their values.

import { InputError, ModelFormatError, describe } from '../errors.js';
import { Activation } from '../layers/activation.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import { BatchNorm } from '../layers/batchnorm.js';
import { Dropout } from '../layers/dropout.js';
import { Maxout } from '../layers/maxout.js';
import { Residual } from '../layers/residual.js';
import { Registry } from '../registry.js';

interface LayerType {
  /** The fields of its config besides `type`. */
  readonly fields: readonly string[];
  /** `at` names the config in the file, for the layers inside a block. */
  build(c: Record<string, unknown>, at: string): Layer;
}

const LAYER_TYPES = new Registry<LayerType>('layer type', [
  ['Dense', { fields: ['inputSize', 'units', 'activation', 'init'], build: (c) => new Dense(c.inputSize as number, c.units as number, { activation: c.activation as never, init: c.init as never }) }],
  ['Activation', { fields: ['activation'], build: (c) => new Activation(c.activation as never) }],
  ['Maxout', { fields: ['inputSize', 'units', 'pieces', 'init'], build: (c) => new Maxout(c.inputSize as number, c.units as number, { pieces: c.pieces as never, init: c.init as never }) }],
  ['Dropout', { fields: ['rate'], build: (c) => new Dropout(c.rate as number) }],
  ['BatchNorm', { fields: ['momentum', 'epsilon'], build: (c) => new BatchNorm({ momentum: c.momentum as never, epsilon: c.epsilon as never }) }],
  ['Residual', { fields: ['layers', 'projection'], build: (c, at) => new Residual(innerLayers(c.layers, `${at}.layers`), { projection: c.projection as never }) }],
]);

/** The configs of a block's layers: an array of layer configs, each read like a top-level one. */
function innerLayers(value: unknown, at: string): Layer[] {
  if (!Array.isArray(value) || value.length === 0) throw new ModelFormatError(`${at}: expected a non-empty array of layer configs, got ${describe(value)}`);
  return value.map((c: unknown, j) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new ModelFormatError(`${at}[${j}]: expected a layer config object, got ${describe(c)}`);
    return layerAt(c as Record<string, unknown>, `${at}[${j}]`);
  });
}

/** The layer a checked header's layers[index] describes, or a ModelFormatError naming the field. */
export function layerFromConfig(config: Record<string, unknown>, index: number): Layer {
  return layerAt(config, `header.layers[${index}]`);
}

function layerAt(config: Record<string, unknown>, at: string): Layer {
  return asFormatError(() => {
    const type = LAYER_TYPES.get(config.type, `${at}.type`);
    for (const key of Object.keys(config)) {
      if (key !== 'type' && !type.fields.includes(key)) throw new InputError(`${at}: expected the fields type, ${type.fields.join(', ')} for ${config.type}, got an unknown field ${JSON.stringify(key)}`);
    }
    // Only own fields reach the constructor: a missing one is undefined, never inherited.
    const own: Record<string, unknown> = Object.create(null);
    for (const key of type.fields) if (Object.hasOwn(config, key)) own[key] = config[key];
    return type.build(own, at);
  }, `${at}: `);
}

/**
 * Run `build`; an InputError from it becomes a ModelFormatError about the file, its
 * message behind `prefix` ("header." before a field the error names, "header.layers[0]: "
 * before a layer constructor's own words).
 */
export function asFormatError<T>(build: () => T, prefix: string): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new ModelFormatError(e.message.startsWith('header') ? e.message : prefix + e.message);
  }
}
